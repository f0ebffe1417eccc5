"""Per-request tenancy and language, the query strings no page reads, and the browser features no page uses."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fundportal.models import Funder
from fundportal.tenancy import scope, scopes_disabled


class QueryStringMiddleware:
    """Answer 400 to a query string carrying a NUL byte: no filter needs one, and PostgreSQL refuses to compare it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            return HttpResponseBadRequest(_("The address holds a character no page accepts."),
                                          content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class FunderMiddleware:
    """Enter the funder scope named by the URL (``/<funder-slug>/...``).

    Pages outside a funder run with no scope, so a funder-owned query there
    raises instead of silently reading every funder's rows.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.funder = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if match.app_name == "admin":
            # Operators work across funders in the Django admin (staff only).
            with scopes_disabled():
                return self.get_response(request)
        slug = match.kwargs.get("funder_slug")
        if slug is None:
            return self.get_response(request)
        request.funder = Funder.objects.filter(slug=slug, is_active=True).first()
        if request.funder is None:
            raise Http404(_("There is no funder at this address."))
        timezone.activate(ZoneInfo(request.funder.time_zone))  # forms and dates speak the funder's local time
        try:
            with scope(funder=request.funder):
                return self.get_response(request)
        finally:
            timezone.deactivate()


class FunderLanguageMiddleware:
    """Pick the page language: the person's choice, else the funder's default.

    A choice is the language cookie (set by the language switcher) or, for a
    signed-in person, their saved preference. With neither, a funder's pages
    speak the funder's default language; other pages keep what Django's
    LocaleMiddleware negotiated from the browser.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            funder_language = request.funder.default_language if request.funder else ""
            chosen = getattr(request.user, "language", "") or funder_language
            if chosen:
                translation.activate(chosen)
                request.LANGUAGE_CODE = chosen
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Deny every page the browser features the portal never uses (settings.PERMISSIONS_POLICY_DENIED): a script
    that got in anyway, or a frame, can use no camera, microphone, location or payment. Passkeys stay allowed."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENIED)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response
