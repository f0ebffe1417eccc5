from django.apps import AppConfig
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from fundportal.links import personal_link_maker


class FundportalConfig(AppConfig):
    name = "fundportal"
    verbose_name = _("FundPortal")

    def ready(self):
        autodiscover_modules("dashboard")  # each app's dashboard module registers what it adds (fundportal.dashboard)
        autodiscover_modules("export_kinds")  # and its export_kinds module its kinds of export (fundportal.export_jobs)
        autodiscover_modules("audit")  # and its audit module how its events read and link (fundportal.audit)
        from fundportal.audit import record_failed_sign_in, record_sign_in  # (audit imports models: ready only now)
        from fundportal.services import set_password_url  # services import models: ready only now

        user_logged_in.connect(record_sign_in, dispatch_uid="fundportal.audit.record_sign_in")
        user_login_failed.connect(record_failed_sign_in, dispatch_uid="fundportal.audit.record_failed_sign_in")

        personal_link_maker("set-password", set_password_url)
        if settings.LOCAL_MAILBOX:
            # allauth's signals and fundportal.mail import models, which may be imported only once the apps are ready
            from allauth.account.signals import email_confirmation_sent

            from fundportal.mail import remember_new_account  # (models are ready only now, see above)

            email_confirmation_sent.connect(remember_new_account, dispatch_uid="fundportal.mail.remember_new_account")
