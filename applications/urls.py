from django.urls import path

from applications.views import approval, audit, report, status, writing

app_name = "applications"

urlpatterns = [
    path("calls/<slug:call_slug>/apply/", writing.StartView.as_view(), name="start"),
    path("applications/<int:application_id>/", status.DetailView.as_view(), name="detail"),
    path("applications/<int:application_id>/sections/<int:number>/", writing.SectionView.as_view(), name="section"),
    path("applications/<int:application_id>/sections/<int:number>/autosave/", writing.AutosaveView.as_view(),
         name="autosave"),
    path("applications/<int:application_id>/questions/<int:question_id>/files/", writing.AttachmentUploadView.as_view(),
         name="attachment_upload"),
    path("applications/<int:application_id>/files/<int:attachment_id>/", writing.AttachmentDownloadView.as_view(),
         name="attachment"),
    path("applications/<int:application_id>/files/<int:attachment_id>/remove/", writing.AttachmentDeleteView.as_view(),
         name="attachment_remove"),
    path("applications/<int:application_id>/people/", writing.PeopleView.as_view(), name="people"),
    path("applications/<int:application_id>/people/<int:collaborator_id>/remove/", writing.CollaboratorRemoveView.as_view(),
         name="collaborator_remove"),
    path("applications/<int:application_id>/submit/", status.SubmitView.as_view(), name="submit"),
    path("applications/<int:application_id>/withdraw/", status.WithdrawView.as_view(), name="withdraw"),
    path("applications/<int:application_id>/pdf/", status.PdfView.as_view(), name="pdf"),
    path("applications/<int:application_id>/decision-letter/", status.DecisionLetterView.as_view(), name="decision_letter"),
    path("applications/<int:application_id>/extension/", status.ExtensionView.as_view(), name="extension"),
    path("applications/<int:application_id>/revisions/", status.RevisionsView.as_view(), name="revisions"),
    path("manage/applications/<int:application_id>/audit/", audit.ApplicationAuditView.as_view(), name="audit"),
    path("manage/applications/<int:application_id>/audit.<str:extension>", audit.ApplicationAuditExportView.as_view(),
         name="audit_export"),
    path("manage/report/", report.ReportView.as_view(), name="report"),
    path("manage/report.<str:extension>", report.ReportExportView.as_view(), name="report_export"),
    path("approval/<str:token>/", approval.ManagerApprovalView.as_view(), name="manager_approval"),
]
