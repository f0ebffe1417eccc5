"""What applications add to the dashboards: the headline counts of calls and applications on a funder's dashboard,
and the drafts and submissions per period on the administrator's calls dashboard (calls may not know applications)."""

from applications.selectors import PERIOD_FIGURES, funder_figures
from calls import selectors as calls_selectors
from fundportal.dashboard import FIGURES

FIGURES.register(position=10)(funder_figures)
calls_selectors.PERIOD_FIGURES.extend(PERIOD_FIGURES)
