from django.apps import AppConfig
from django.conf import settings
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from fundportal.links import personal_link_maker


class FundportalConfig(AppConfig):
    name = "fundportal"
    verbose_name = _("FundPortal")

    def ready(self):
        autodiscover_modules("dashboard")  # each app's dashboard module registers what it adds (fundportal.dashboard)
        autodiscover_modules("export_kinds")  # and its export_kinds module its kinds of export (fundportal.export_jobs)
        from fundportal.services import set_password_url  # services import models: ready only now

        personal_link_maker("set-password", set_password_url)
        if settings.LOCAL_MAILBOX:
            # allauth's signals and fundportal.mail import models, which may be imported only once the apps are ready
            from allauth.account.signals import email_confirmation_sent

            from fundportal.mail import remember_new_account  # (models are ready only now, see above)

            email_confirmation_sent.connect(remember_new_account, dispatch_uid="fundportal.mail.remember_new_account")
