"""The yearly report: what came in, what was granted, and how it splits, for the funder's follow-up."""

from functools import cached_property

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from applications.reports import FIRST_YEAR, LAST_YEAR, asked_call, asked_year, yearly_report, years_to_report
from calls.selectors import calls_with_funder
from fundportal.db_router import ReadsFromReplicaMixin
from fundportal.views.base import PortalPermissionMixin
from fundportal.views.exports import ExportView


class ReportMixin(PortalPermissionMixin):
    permission_required = "applications.view_report"

    @cached_property
    def years(self):
        return years_to_report()

    @cached_property
    def year(self):
        return asked_year(self.request.GET.get("year", ""), self.years)

    @cached_property
    def call(self):
        return asked_call(self.request.GET.get("call", ""))

    def dispatch(self, request, *args, **kwargs):
        if self.year is None and self.has_permission():
            messages.error(request, _("Choose a year from %(first)d to %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR})
            return HttpResponseRedirect(reverse("applications:report", args=[request.funder.slug]))
        return super().dispatch(request, *args, **kwargs)

    def report(self):
        return yearly_report(year=self.year, call=self.call)


class ReportView(ReportMixin, ReadsFromReplicaMixin, TemplateView):
    template_name = "applications/report.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            report=self.report(), years=self.years, year=self.year, calls=calls_with_funder(),
            chosen_call=self.call, query_string=self.request.GET.urlencode(), **kwargs)


class ReportExportView(ReportMixin, ExportView):
    """The report as an Excel workbook: the figures, each split, and the funded projects
    (applications.export_kinds)."""

    export_kind = "applications.report"

    def export_subject(self):
        """The year (one the database can count in: ``dispatch`` refused any other)."""
        return str(self.year)
