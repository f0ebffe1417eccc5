"""The session's own address: its page's script asks how long the session has left, and "Stay signed in" posts."""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from fundportal.sessions import where_they_were
from fundportal.views.base import PortalPermissionMixin


class SessionKeepAliveView(PortalPermissionMixin, View):
    """GET: the seconds left, asked by the page's script as a background request (not activity). POST ("Stay signed
    in"): the request is the activity itself, recorded by ``fundportal.sessions.SessionTimeoutMiddleware``; the
    answer is the same, counted from now. A session already over never reaches here: the middleware answered."""

    permission_required = "fundportal.signed_in"
    http_method_names = ["get", "post"]

    def handle_no_permission(self):
        login_url = f"{reverse('account_login')}?{urlencode({'next': where_they_were(self.request)})}"
        return JsonResponse({"status": "signed-out", "message": _("You are signed out."), "login_url": login_url},
                            status=401)

    def get(self, request):
        clock = request.session_clock
        return JsonResponse({"status": "signed-in", **(clock.as_json() if clock else {"remaining": None})})

    post = get
