from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundportalConfig(AppConfig):
    name = "fundportal"
    verbose_name = _("FundPortal")

    def ready(self):
        from django.conf import settings

        if settings.LOCAL_MAILBOX:
            from allauth.account.signals import email_confirmation_sent

            from fundportal.mail import remember_new_account

            email_confirmation_sent.connect(remember_new_account, dispatch_uid="fundportal.mail.remember_new_account")
