from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundportalConfig(AppConfig):
    name = "fundportal"
    verbose_name = _("FundPortal")
