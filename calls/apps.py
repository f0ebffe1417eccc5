from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from fundportal.links import personal_link_maker


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = _("Calls")

    def ready(self):
        # calls.notices imports models, which may be imported only once the apps are ready
        from calls.notices import subscription_confirm_url, unsubscribe_url

        personal_link_maker("subscription-confirm", subscription_confirm_url)
        personal_link_maker("unsubscribe", unsubscribe_url)
