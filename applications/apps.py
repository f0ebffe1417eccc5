from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self):
        # calls' dashboard counts per period what applications declares (calls may not import applications); both
        # selectors modules import models, which may be imported only once the apps are ready
        from applications.selectors import PERIOD_FIGURES
        from calls.selectors import PERIOD_FIGURES as DASHBOARD_FIGURES  # (models are ready only now, see above)

        DASHBOARD_FIGURES.extend(PERIOD_FIGURES)
