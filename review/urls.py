from django.urls import path

from review.models import Decision
from review.views import assignments, bulk, deciding, exports, letters, panel, ranking, reviewing, screening

app_name = "review"

urlpatterns = [
    path("screening/", screening.ScreeningQueueView.as_view(), name="queue"),
    path("screening/queue.<str:extension>", exports.ScreeningQueueExportView.as_view(), name="queue_export"),
    path("screening/<int:application_id>/", screening.ScreeningView.as_view(), name="screening"),
    path("reviews/", reviewing.ReviewerDashboardView.as_view(), name="dashboard"),
    path("manage/panel/", panel.PanelView.as_view(), name="panel"),
    path("manage/letters/", letters.LetterTemplatesView.as_view(), name="letters"),
    path("manage/letters/<str:outcome>/<str:language>/", letters.LetterTemplateView.as_view(), name="letter"),
    path("manage/letters/<str:outcome>/<str:language>/sample.pdf", letters.LetterSamplePdfView.as_view(),
         name="letter_pdf"),
    path("reviews/<int:assignment_id>/", reviewing.ReviewView.as_view(), name="review"),
    path("manage/calls/<slug:call_slug>/assignments/", assignments.AssignmentsView.as_view(), name="assignments"),
    path("manage/calls/<slug:call_slug>/progress/", panel.ProgressView.as_view(), name="progress"),
    path("manage/calls/<slug:call_slug>/ranking/", ranking.RankingView.as_view(), name="ranking"),
    path("manage/calls/<slug:call_slug>/ranking/grant/",
         bulk.BulkDecisionView.as_view(outcome=Decision.Outcome.GRANTED), name="grant_above_line"),
    path("manage/calls/<slug:call_slug>/ranking/decline/",
         bulk.BulkDecisionView.as_view(outcome=Decision.Outcome.DECLINED), name="decline_below_line"),
    path("manage/calls/<slug:call_slug>/ranking/bulk/<int:bulk_job_id>/", bulk.BulkDecisionJobView.as_view(),
         name="bulk_decision_job"),
    path("manage/calls/<slug:call_slug>/decisions/<int:application_id>/", deciding.DecisionView.as_view(), name="decision"),
    path("manage/calls/<slug:call_slug>/decisions/<int:application_id>/letter.pdf", deciding.DecisionLetterPreviewView.as_view(),
         name="decision_letter_preview"),
    path("manage/calls/<slug:call_slug>/decisions/release/", deciding.ReleaseDecisionsView.as_view(), name="release"),
    path("manage/calls/<slug:call_slug>/ranking.<str:extension>", exports.RankingExportView.as_view(), name="ranking_export"),
]
