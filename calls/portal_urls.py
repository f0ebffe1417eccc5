"""The calls' pages outside any one funder's address, included by the root URLconf (names without a namespace)."""

from django.urls import path

from calls.views.public import OpenCallsView

urlpatterns = [
    path("calls/", OpenCallsView.as_view(), name="open_calls"),
]
