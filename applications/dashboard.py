"""What applications add to a funder's dashboard: the headline counts of calls and applications."""

from applications.selectors import funder_figures
from fundportal.dashboard import FIGURES

FIGURES.register(position=10)(funder_figures)
