from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from fundportal.links import personal_link_maker


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self):
        # applications.notices imports models, which may be imported only once the apps are ready
        from applications.notices import manager_url

        personal_link_maker("manager", manager_url)
