"""The queues and the ranking as files: what is on screen, with the same filters and order, every page of it."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from calls.views.manage import ManageCallMixin
from fundportal.exports import csv_response, xlsx_response
from fundportal.translated import translated
from fundportal.views.base import PortalPermissionMixin
from review.views.ranking import RankingMixin
from review.views.screening import QueueFilterMixin


class ScreeningQueueExportView(PortalPermissionMixin, QueueFilterMixin, View):
    """The queue with the same filters and order, every page of it, as CSV or Excel."""

    permission_required = "review.screen"

    def get(self, request, funder_slug, extension):
        if extension not in ("csv", "xlsx"):
            raise Http404
        header = [str(label) for label in (
            _("Case number"), _("Project"), _("Applicant"), _("Email"), _("Call"), _("Period"), _("Type"),
            _("Theme area"), _("Amount applied for"), _("Submitted"), _("Status"), _("Stage"), _("Screener"))]
        body = []
        for application in self.get_queryset():
            screening = getattr(application, "screening", None)
            submitted = timezone.localtime(application.submitted_at).strftime("%Y-%m-%d %H:%M") \
                if application.submitted_at else ""
            body.append([application.case_number, application.title, str(application.applicant),
                         application.applicant.email, application.call.display_title, str(application.period or ""),
                         str(application.get_application_type_display()), application.theme, application.amount_requested,
                         submitted, application.get_state_display(), str(application.current_stage or ""),
                         str(screening.screener) if screening and screening.screener else ""])
        name = f"screening-{timezone.localdate():%Y-%m-%d}.{extension}"
        if extension == "xlsx":
            return xlsx_response(name, [(str(_("Applications to screen")), header, body)])
        return csv_response(name, header, body)


class RankingExportView(RankingMixin, ManageCallMixin, View):
    """The ranking as on screen (same period, filters and order, every page), as CSV, or as an Excel workbook with
    every review on a second sheet."""

    permission_required = "review.view_ranking"

    def table(self):
        criteria = self.ranking.criteria
        rows = self.ranking.rows(self.shown(), with_reviews=True)
        language = self.request.funder.default_language
        header = [_("Rank"), _("Case number"), _("Project"), _("Applicant"),
                  *[translated(c.name, language) for c in criteria],
                  _("Weighted total"), _("Median"), _("Standard deviation"), _("Reviews done"),
                  _("Reviews expected"), _("Amount applied for"), _("Running sum"), _("Decision")]
        body = []
        for row in rows:
            application = row.application
            decision = getattr(application, "decision", None)
            body.append([row.rank, application.case_number, application.title, str(application.applicant),
                         *row.criterion_means, row.total, row.median, row.deviation, row.done, row.expected,
                         application.amount_requested, row.running_sum,
                         decision.get_outcome_display() if decision else ""])
        return [str(cell) for cell in header], body, criteria, rows

    def reviews_sheet(self, criteria, rows):
        language = self.request.funder.default_language
        header = [str(_("Case number")), str(_("Reviewer")), *[translated(c.name, language) for c in criteria],
                  str(_("Recommendation")), str(_("Overall comment"))]
        body = []
        for row in rows:
            for assignment in row.application.assignments.all():
                review = getattr(assignment, "review", None)
                if review is None or not review.submitted_at:
                    continue
                body.append([row.application.case_number, str(assignment.reviewer),
                             *[review.scores.get(str(c.pk), {}).get("score") for c in criteria],
                             review.get_recommendation_display(), review.comment])
        return header, body

    def get(self, request, funder_slug, call_slug, extension):
        if extension not in ("csv", "xlsx"):
            raise Http404
        header, body, criteria, rows = self.table()
        name = f"{call_slug}-ranking.{extension}"
        if extension == "xlsx":
            return xlsx_response(name, [(str(_("Ranking")), header, body),
                                        (str(_("Reviews")), *self.reviews_sheet(criteria, rows))])
        return csv_response(name, header, body)
