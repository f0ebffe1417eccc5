"""The page that says why a person must sign in with a second factor, and leads them to set one up or use it."""

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.utils import is_mfa_enabled
from django.views.generic import TemplateView

from fundportal.models import Funder
from fundportal.security import FACTORS, NEXT_PAGE, session_is_strong, two_factor_required
from fundportal.selectors import roles_everywhere
from fundportal.views.base import PortalPermissionMixin


class TwoFactorRequiredView(PortalPermissionMixin, TemplateView):
    """Where fundportal.security.TwoFactorMiddleware sends a person whose session lacks the second factor their
    roles need: which funders (or the platform) ask for it, then a way on — set up an authenticator app or a
    passkey, or confirm with the factor they have. Anyone else signed in reads that nothing is due."""

    permission_required = "fundportal.signed_in"
    template_name = "mfa/required.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        asking = [funder_id for funder_id, (_roles, two_factors) in roles_everywhere(user).items() if two_factors]
        return super().get_context_data(
            due=two_factor_required(user) and not session_is_strong(self.request),
            operator=user.is_superuser or user.is_staff,
            funders=Funder.objects.filter(pk__in=asking).order_by("name").values_list("name", flat=True),
            has_factor=is_mfa_enabled(user, types=list(FACTORS)),
            next_page=self.request.session.get(NEXT_PAGE, ""),
            code_seconds=mfa_settings.TOTP_PERIOD,
            **kwargs)
