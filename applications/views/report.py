"""The yearly report: what came in, what was granted, and how it splits, for the funder's follow-up."""

import re
from functools import cached_property

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from applications.reports import report_years, yearly_report
from calls.selectors import call_named, calls_with_funder
from fundportal.exports import xlsx_response
from fundportal.views.base import PortalPermissionMixin


FIRST_YEAR, LAST_YEAR = 1900, 9999
SLUG = re.compile(r"[-\w]{1,100}")


class ReportMixin(PortalPermissionMixin):
    permission_required = "applications.view_report"

    @cached_property
    def years(self):
        return report_years() or [timezone.localdate().year]

    @cached_property
    def year(self):
        """The year asked for (a calendar year the database can count in), the newest by default, or None."""
        year = self.request.GET.get("year", "")
        if not year:
            return self.years[0]
        return int(year) if year.isascii() and year.isdigit() and FIRST_YEAR <= int(year) <= LAST_YEAR else None

    @cached_property
    def call(self):
        slug = self.request.GET.get("call", "")
        return call_named(slug) if slug and SLUG.fullmatch(slug) else None

    def dispatch(self, request, *args, **kwargs):
        if self.year is None and self.has_permission():
            messages.error(request, _("Choose a year from %(first)d to %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR})
            return HttpResponseRedirect(reverse("applications:report", args=[request.funder.slug]))
        return super().dispatch(request, *args, **kwargs)

    def report(self):
        return yearly_report(year=self.year, call=self.call)


class ReportView(ReportMixin, TemplateView):
    template_name = "applications/report.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            report=self.report(), years=self.years, year=self.year, calls=calls_with_funder(),
            chosen_call=self.call, query_string=self.request.GET.urlencode(), **kwargs)


class ReportExportView(ReportMixin, View):
    """The report as an Excel workbook: the figures, each split, and the funded projects."""

    def get(self, request, funder_slug, extension):
        if extension != "xlsx":
            raise Http404
        report = self.report()
        figures = [[_("Applications received"), report.received], [_("Granted"), report.granted],
                   [_("Declined"), report.declined], [_("Kept for a later round"), report.preliminary],
                   [_("Amount applied for"), report.applied_for], [_("Amount granted"), report.granted_amount]]
        sheets = [(_("Figures"), [str(_("Figure")), str(_("Value"))], [[str(label), value] for label, value in figures])]
        for split in report.splits:
            sheets.append((str(split.title), [str(split.title), str(_("Received")), str(_("Granted"))],
                           [[str(label), received, granted] for label, received, granted in split.rows]))
        sheets.append((_("Funded projects"), [str(_("Case number")), str(_("Project")), str(_("Call")),
                                              str(_("Amount granted"))],
                       [[a.case_number, a.title, a.call.display_title, a.decision.amount] for a in report.funded]))
        return xlsx_response(f"report-{report.year}.xlsx", [(str(title), header, body) for title, header, body in sheets])
