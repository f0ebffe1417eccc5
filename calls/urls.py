from django.urls import path

from calls.views import builder, funds, manage, public, subscriptions

app_name = "calls"

urlpatterns = [
    path("", public.CallListView.as_view(), name="call_list"),
    path("calls/<slug:call_slug>/", public.CallDetailView.as_view(), name="call_detail"),
    path("calls/<slug:call_slug>/eligibility/", public.EligibilityCheckView.as_view(), name="eligibility"),
    path("open-calls.json", public.OpenCallsFeedView.as_view(), name="feed"),
    path("deadlines.ics", public.DeadlinesCalendarView.as_view(), name="calendar"),
    path("subscribe/", subscriptions.SubscribeView.as_view(), name="subscribe"),
    path("subscribe/confirm/<str:token>/", subscriptions.SubscriptionTokenView.as_view(action="confirm"),
         name="subscription_confirm"),
    path("subscribe/cancel/<str:token>/", subscriptions.SubscriptionTokenView.as_view(action="cancel"),
         name="subscription_cancel"),
    path("manage/calls/", manage.CallDashboardView.as_view(), name="manage_calls"),
    path("manage/funds/", funds.FundsView.as_view(), name="manage_funds"),
    path("manage/funds/<int:fund_id>/", funds.FundEditView.as_view(), name="manage_fund"),
    path("manage/calls/new/", manage.CallCreateView.as_view(), name="manage_call_create"),
    path("manage/calls/<slug:call_slug>/", manage.CallEditView.as_view(), name="manage_call"),
    path("manage/calls/<slug:call_slug>/periods/", manage.CallPeriodsView.as_view(), name="manage_periods"),
    path("manage/calls/<slug:call_slug>/criteria/", manage.CallCriteriaView.as_view(), name="manage_criteria"),
    path("manage/calls/<slug:call_slug>/eligibility/", manage.CallEligibilityView.as_view(), name="manage_eligibility"),
    path("manage/calls/<slug:call_slug>/pipeline/", manage.CallPipelineView.as_view(), name="manage_pipeline"),
    path("manage/calls/<slug:call_slug>/checklist/", manage.CallChecklistView.as_view(), name="manage_checklist"),
    path("manage/calls/<slug:call_slug>/history/", manage.CallHistoryView.as_view(), name="manage_history"),
    path("manage/calls/<slug:call_slug>/copy/", manage.CallCopyView.as_view(), name="manage_copy"),
    path("manage/calls/<slug:call_slug>/form/", builder.FormBuilderView.as_view(), name="manage_form"),
    path("manage/calls/<slug:call_slug>/form/preview/", builder.FormPreviewView.as_view(), name="manage_preview"),
    path("manage/calls/<slug:call_slug>/form/sections/<int:section_id>/questions/new/",
         builder.QuestionEditView.as_view(), name="manage_question_create"),
    path("manage/calls/<slug:call_slug>/form/sections/<int:section_id>/questions/<int:question_id>/",
         builder.QuestionEditView.as_view(), name="manage_question"),
    path("manage/calls/<slug:call_slug>/form/<str:action>/<int:object_id>/", builder.BuilderActionView.as_view(),
         name="manage_form_action"),
    path("manage/calls/<slug:call_slug>/<str:action>/", manage.CallActionView.as_view(), name="manage_action"),
]
