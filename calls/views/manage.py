"""The fund administrator's pages for calls."""

from django.utils import timezone
from django.views.generic import TemplateView

from calls.selectors import funds_with_calls
from fundportal.views.base import PortalPermissionMixin


class CallDashboardView(PortalPermissionMixin, TemplateView):
    """Each fund with its calls, their status and per period the drafts and submissions."""

    permission_required = "calls.manage_calls"
    template_name = "calls/manage/dashboard.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(funds=funds_with_calls(timezone.now()), **kwargs)
