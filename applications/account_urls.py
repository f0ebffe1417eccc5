"""An applicant's own pages across every funder, included by the root URLconf (names without a namespace)."""

from django.urls import path

from applications.views.status import MyApplicationsView, ProfileView

urlpatterns = [
    path("my/applications/", MyApplicationsView.as_view(), name="my_applications"),
    path("my/profile/", ProfileView.as_view(), name="profile"),
]
