"""Each application's own audit trail, for the funder's administrators: the core's trail page and export, limited to
the events about the application."""

from django.urls import reverse
from django.views.generic import ListView

from applications.views.base import ApplicationMixin
from fundportal.views.audit import AuditTrailMixin, AuditExportView


class ApplicationAuditView(ApplicationMixin, AuditTrailMixin, ListView):
    permission_required = "applications.view_audit"
    template_name = "applications/audit.html"

    def application_id(self):
        return self.application.pk

    def export_url(self, extension):
        return reverse("applications:audit_export", args=[self.request.funder.slug, self.application.pk, extension])


class ApplicationAuditExportView(ApplicationMixin, AuditExportView):
    permission_required = "applications.view_audit"

    def export_subject(self):
        return str(self.application.pk)
