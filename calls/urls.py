from django.urls import path

from calls.views import manage, public, subscriptions

app_name = "calls"

urlpatterns = [
    path("", public.CallListView.as_view(), name="call_list"),
    path("calls/<slug:call_slug>/", public.CallDetailView.as_view(), name="call_detail"),
    path("open-calls.json", public.OpenCallsFeedView.as_view(), name="feed"),
    path("deadlines.ics", public.DeadlinesCalendarView.as_view(), name="calendar"),
    path("subscribe/", subscriptions.SubscribeView.as_view(), name="subscribe"),
    path("subscribe/confirm/<str:token>/", subscriptions.SubscriptionTokenView.as_view(action="confirm"),
         name="subscription_confirm"),
    path("subscribe/cancel/<str:token>/", subscriptions.SubscriptionTokenView.as_view(action="cancel"),
         name="subscription_cancel"),
    path("manage/calls/", manage.CallDashboardView.as_view(), name="manage_calls"),
]
