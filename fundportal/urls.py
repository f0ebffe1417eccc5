"""The root URLconf: the core's pages, and each app's URL modules named by string (the core imports no app)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from fundportal.views import audit, exports, funder, operator, outbox, people, sessions, sign_in, wording
from fundportal.views.health import HealthView
from fundportal.views.mailbox import MailboxView, MailView, UnverifiedMailboxView
from fundportal.views.pages import FunderDashboardView, FunderLogoView, HomeView, LanguageView
from fundportal.views.security import ContentSecurityReportView
from fundportal.views.two_factor import TwoFactorRequiredView


def top_level(urlconf):
    """The pages of an app's URL module, named by string as include() names it, each listed here at the top level
    (as the suite's route walkers, e.g. the access matrix, read the portal's own pages)."""
    module, _app_name, _namespace = include(urlconf)
    return module.urlpatterns


funder_patterns = [
    path("manage/outbox/", outbox.OutboxView.as_view(), name="outbox"),
    path("manage/outbox/progress/", outbox.OutboxProgressView.as_view(), name="outbox_progress"),
    path("manage/outbox/<int:email_id>/", outbox.OutboxEmailView.as_view(), name="outbox_email"),
    path("manage/outbox/<int:email_id>/attachment/", outbox.OutboxAttachmentView.as_view(), name="outbox_attachment"),
    path("manage/people/", people.PeopleView.as_view(), name="people"),
    path("manage/audit/", audit.AuditTrailView.as_view(), name="audit"),
    path("manage/audit.<str:extension>", audit.AuditExportView.as_view(), name="audit_export"),
    path("manage/settings/", funder.FunderSettingsView.as_view(), name="funder_settings"),
    path("manage/sign-in/", sign_in.SignInSettingsView.as_view(), name="sign_in_settings"),
    path("sign-in/e-id/", sign_in.EIdLoginView.as_view(), name="e_id_login"),
    path("sign-in/e-id/callback/", sign_in.EIdCallbackView.as_view(), name="e_id_callback"),
    path("manage/emails/", wording.EmailTemplatesView.as_view(), name="email_templates"),
    path("manage/emails/<str:kind>/<str:language>/", wording.EmailTemplateView.as_view(), name="email_template"),
    path("logo", FunderLogoView.as_view(), name="funder_logo"),
    path("dashboard/", FunderDashboardView.as_view(), name="funder_dashboard"),
    path("exports/", exports.ExportJobsView.as_view(), name="exports"),
    path("exports/<int:job_id>/", exports.ExportJobView.as_view(), name="export_job"),
    path("exports/<int:job_id>/progress/", exports.ExportJobProgressView.as_view(), name="export_job_progress"),
    path("exports/<int:job_id>/download/", exports.ExportJobDownloadView.as_view(), name="export_job_download"),
    path("", include("review.urls")),
    path("", include("calls.urls")),
    path("", include("applications.urls")),
]

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    *top_level("calls.portal_urls"),
    path("healthz", HealthView.as_view(), name="healthz"),
    path("csp-report", ContentSecurityReportView.as_view(), name="csp_report"),
    path("i18n/language/", LanguageView.as_view(), name="set_language"),
    path("operator/", operator.OperatorView.as_view(), name="operator"),
    *top_level("applications.account_urls"),
    path("accounts/keep-alive/", sessions.SessionKeepAliveView.as_view(), name="session_keep_alive"),
    re_path(r"^accounts/oidc/", sign_in.NotHereView.as_view(), name="oidc_not_here"),  # e-IDs are under each funder
    path("accounts/2fa/required/", TwoFactorRequiredView.as_view(), name="two_factor_required"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("<slug:funder_slug>/", include(funder_patterns)),
]
if settings.LOCAL_MAILBOX:  # development and the demo: read the mail the portal sent
    urlpatterns[-1:-1] = [
        path("mailbox/", MailboxView.as_view(), name="mailbox"),
        path("mailbox/<int:pk>/", MailView.as_view(), name="mail"),
        path("mailbox/new-account/", UnverifiedMailboxView.as_view(), name="mailbox_new_account"),
    ]
