"""The yearly report as a workbook (``fundportal.export_jobs``): the figures, each split, and the funded projects,
read from the database a chunk at a time."""

from django.utils.translation import gettext as _

from applications.reports import asked_call, yearly_report
from fundportal.export_jobs import ExportKind, register_export_kind
from fundportal.exports import Table

CHUNK = 1000  # funded projects read at a time


def report_table(*, query, subject, extension):
    """The report of the year ``subject`` (the view refuses a year it cannot count in) and the call the query names."""
    report = yearly_report(year=int(subject), call=asked_call(query.get("call", "")))
    figures = [[_("Applications received"), report.received], [_("Granted"), report.granted],
               [_("Declined"), report.declined], [_("Kept for a later round"), report.preliminary],
               [_("Amount applied for"), report.applied_for], [_("Amount granted"), report.granted_amount]]
    sheets = [(_("Figures"), [_("Figure"), _("Value")]),
              *[(split.title, [split.title, _("Received"), _("Granted")]) for split in report.splits],
              (_("Funded projects"), [_("Case number"), _("Project"), _("Call"), _("Amount granted")])]
    funded = len(sheets) - 1
    return Table(filename=f"report-{report.year}.{extension}", sheets=sheets, total=report.granted, counted=funded,
                 rows=report_rows(report, figures, funded))


def report_rows(report, figures, funded):
    yield from ((0, row) for row in figures)
    for index, split in enumerate(report.splits, start=1):
        yield from ((index, list(row)) for row in split.rows)
    for application in report.funded.iterator(chunk_size=CHUNK):
        yield funded, [application.case_number, application.title, application.call.display_title,
                       application.decision.amount]


register_export_kind(ExportKind(name="applications.report", permission="applications.view_report",
                                table=report_table, extensions=("xlsx",),
                                title=lambda subject: _("Report %(year)s") % {"year": subject}))
