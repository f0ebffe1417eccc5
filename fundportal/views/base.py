"""What every FundPortal view stands on: one declared permission."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from rules.contrib.views import PermissionRequiredMixin

from fundportal.selectors import roles_at

PUBLIC = "fundportal.view_public"  # the one permission a person who has not signed in can hold


class PortalPermissionMixin(PermissionRequiredMixin):
    """Check ``permission_required`` (a rules permission) against the page's object.

    The object is the view's ``get_object()`` when it has one, else the active
    funder. Someone signed in who holds no role at the active funder gets 404,
    never 403: another funder's pages must not even be confirmed to exist.
    """

    permission_required = None  # each view names one; a test fails otherwise

    def has_permission(self):
        if not self.request.user.is_authenticated and tuple(self.get_permission_required()) != (PUBLIC,):
            return False  # sent to sign in before any object is looked up on nobody's behalf
        return super().has_permission()

    def get_permission_object(self):
        obj = super().get_permission_object()
        return obj if obj is not None else self.request.funder

    def handle_no_permission(self):
        request = self.request
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.funder is not None and not roles_at(request.user, request.funder):
            raise Http404
        raise PermissionDenied
