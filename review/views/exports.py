"""The queues and the ranking as files: what is on screen, with the same filters and order, every page of it
(written by the kinds in review.export_kinds, at once or in the background: fundportal.views.exports)."""

from calls.views.manage import ManageCallMixin
from fundportal.views.exports import ExportView
from review.forms import chosen_period


class ScreeningQueueExportView(ExportView):
    """The queue with the same filters and order, every page of it, as CSV or Excel."""

    permission_required = "review.screen"
    export_kind = "review.queue"


class RankingExportView(ManageCallMixin, ExportView):
    """The ranking as on screen (same period, filters and order, every page), as CSV, or as an Excel workbook with
    every review on a second sheet."""

    permission_required = "review.view_ranking"
    export_kind = "review.ranking"

    def export_subject(self):
        """The call's slug; another funder's call, or a period not the call's, is refused (404)."""
        chosen_period(self.call, self.request.GET.get("period", ""))
        return self.call.slug
