"""The audit trail for a funder's administrators: every recorded event, newest first, filtered by person, kind and
date, and exported as it is filtered. Applications reuse it for each application's own trail."""

from functools import cached_property

from django.urls import reverse
from django.views.generic import ListView

from fundportal.audit import AuditFilterForm, audit_trail, with_links
from fundportal.models import AuditEvent
from fundportal.views.base import PortalPermissionMixin
from fundportal.views.exports import ExportView


class AuditTrailMixin:
    """A page of the trail (``application_id``: one application's), with its filters, in constant queries."""

    template_name = "fundportal/audit.html"
    context_object_name = "events"
    paginate_by = 25

    def application_id(self):
        return None

    def export_url(self, extension):
        return reverse("audit_export", args=[self.request.funder.slug, extension])

    @cached_property
    def form(self):
        return AuditFilterForm(self.request.GET)

    def get_queryset(self):
        return audit_trail(application_id=self.application_id(), **self.form.filters())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(form=self.form, query_string=query.urlencode(), kinds=AuditEvent.Kind.choices,
                       filtered=bool(self.form.filters()), export_csv=self.export_url("csv"),
                       export_xlsx=self.export_url("xlsx"),
                       events=with_links(context["events"], self.request.funder.slug))
        return context


class AuditTrailView(PortalPermissionMixin, AuditTrailMixin, ListView):
    permission_required = "fundportal.view_audit"


class AuditExportView(ExportView):
    permission_required = "fundportal.view_audit"
    export_kind = "fundportal.audit"
