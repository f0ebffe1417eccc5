"""How long a session lasts: staff are signed out after a while without a request, and every session ends some
hours or days after sign-in whatever its activity.

Staff — anyone holding a role at a funder, and operators — are signed out after the shortest idle timeout of the
funders where they hold a role (``Funder.staff_idle_timeout_minutes``; operators the portal's default). Applicants
are not idle-timed. Every session ends at the latest ``FUNDPORTAL_SESSION_MAX_AGE_HOURS`` after sign-in for staff
and ``SESSION_COOKIE_AGE`` after sign-in for everyone else.

What is kept in the session, and why it costs almost nothing per request: the moment of sign-in, the last
recorded activity and the person's idle timeout. The activity is written at most once a minute
(``RECORD_EVERY``); a request within that minute reads only the session every page reads anyway, and a write
costs one query for the timeout (the person's roles may have changed), the session's own save and the refresh of
the person's row in allauth's list of sessions (address, browser, last seen), which allauth's own middleware would
otherwise write on every request. So a session may end up to a minute before N minutes after the last request.

A request the page makes by itself is not activity: htmx polls (the progress of an export, the outbox, a bulk
decision) and the session's own check carry the header ``X-Portal-Background`` (``static/js/session-timeout.js``
adds it to every htmx request triggered ``every …``). They are still refused once the session is over.
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

from allauth.account.adapter import get_adapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.db.models import Min
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext

from fundportal.models import STAFF_IDLE_TIMEOUT_MINUTES, Membership
from fundportal.tenancy import scopes_disabled

SIGNED_IN_AT = "fundportal_signed_in_at"  # seconds since the epoch, as every moment kept here
LAST_ACTIVITY = "fundportal_last_activity"
IDLE_MINUTES = "fundportal_idle_minutes"  # None: not idle-timed
RECORD_EVERY = 60  # seconds: the activity is written at most this often
BACKGROUND_HEADER = "X-Portal-Background"
KEPT_AFTER = 60 * 60  # seconds the session's row outlasts its lifetime, to say why it ended


def idle_timeout_of(user) -> int | None:
    """The minutes without a request after which ``user`` is signed out, or None for someone without a role.
    One query, however many roles."""
    with scopes_disabled():
        shortest = Membership.objects.filter(user=user).aggregate(
            minutes=Min("funder__staff_idle_timeout_minutes"))["minutes"]
    if user.is_superuser or user.is_staff:  # operators: the Django admin and every funder's onboarding
        shortest = min(shortest or STAFF_IDLE_TIMEOUT_MINUTES, STAFF_IDLE_TIMEOUT_MINUTES)
    return shortest


def lifetime_seconds(idle_minutes: int | None) -> int:
    """How long a session lasts at most after sign-in: staff (idle-timed) less long than applicants."""
    if idle_minutes:
        return settings.FUNDPORTAL_SESSION_MAX_AGE_HOURS * 60 * 60
    return settings.SESSION_COOKIE_AGE


def is_background(request) -> bool:
    return BACKGROUND_HEADER in request.headers


def is_scripted(request) -> bool:
    """A request a script sends (htmx, fetch), which wants an answer it can read rather than a page."""
    return is_background(request) or "HX-Request" in request.headers or "X-Requested-With" in request.headers


@dataclass(frozen=True)
class SessionClock:
    """What a page tells its script: the idle timeout, the seconds left and whether activity can push the end."""

    idle_minutes: int | None
    remaining: int
    renewable: bool  # False once the lifetime ends the session before the idle timeout would

    @property
    def warning_seconds(self):
        return settings.FUNDPORTAL_SESSION_WARNING_SECONDS

    def as_json(self):
        return {"idle_minutes": self.idle_minutes, "remaining": self.remaining, "renewable": self.renewable}


def where_they_were(request) -> str:
    """The page to come back to after signing in again: this one, or for a script's request the page that sent it."""
    if request.method == "GET" and not is_scripted(request):
        return request.get_full_path()
    page = request.headers.get("HX-Current-URL") or request.headers.get("Referer")
    if page and url_has_allowed_host_and_scheme(page, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure()):
        parts = urlsplit(page)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return reverse("home") if is_scripted(request) else request.path  # a form's page is the address it posts to


def signed_out(request, message):
    """End the session for real (allauth's logout: the session flushed, ``user_logged_out`` sent), then send the
    person to the sign-in page saying why, with ``next`` back to where they were; a script gets the same as JSON."""
    login_url = f"{reverse('account_login')}?{urlencode({'next': where_they_were(request)})}"
    get_adapter(request).logout(request)
    messages.info(request, message)
    if not is_scripted(request):
        return HttpResponseRedirect(login_url)
    response = JsonResponse({"status": "signed-out", "message": message, "login_url": login_url}, status=401)
    if "HX-Request" in request.headers:
        response["HX-Redirect"] = login_url  # htmx then leaves the page for the sign-in page
    return response


def lifetime_message(seconds):
    if seconds < 2 * 24 * 60 * 60:
        hours = round(seconds / (60 * 60))
        return ngettext("You were signed out %(hours)s hour after you signed in. Please sign in again.",
                        "You were signed out %(hours)s hours after you signed in. Please sign in again.",
                        hours) % {"hours": hours}
    days = round(seconds / (24 * 60 * 60))
    return ngettext("You were signed out %(days)s day after you signed in. Please sign in again.",
                    "You were signed out %(days)s days after you signed in. Please sign in again.", days) % {"days": days}


def session_over(request, now):
    """The answer for a session that is over (idle too long, or past its lifetime), or None while it lasts."""
    session = request.session
    signed_in_at, last, minutes = session.get(SIGNED_IN_AT), session.get(LAST_ACTIVITY), session.get(IDLE_MINUTES)
    if signed_in_at is not None and now >= signed_in_at + lifetime_seconds(minutes):
        return signed_out(request, lifetime_message(lifetime_seconds(minutes)))
    if minutes and last is not None and now >= last + minutes * 60:
        return signed_out(request, ngettext(
            "You were signed out after %(minutes)s minute without activity. Please sign in again.",
            "You were signed out after %(minutes)s minutes without activity. Please sign in again.",
            minutes) % {"minutes": minutes})
    return None


def due(session, now) -> bool:
    last = session.get(LAST_ACTIVITY)
    return last is None or now - last >= RECORD_EVERY


def clock_of(request, now) -> SessionClock | None:
    """The session's clock as this request leaves it (its own activity counted when it will be recorded)."""
    session = request.session
    if session.get(SIGNED_IN_AT) is None:
        return None  # the first request since sign-in records it on its way out
    minutes = session.get(IDLE_MINUTES)
    ends = session[SIGNED_IN_AT] + lifetime_seconds(minutes)
    renewable = False
    if minutes:
        last = now if not is_background(request) and due(session, now) else session[LAST_ACTIVITY]
        renewable = last + minutes * 60 < ends
        ends = min(ends, last + minutes * 60)
    return SessionClock(idle_minutes=minutes, remaining=max(0, int(ends - now)), renewable=renewable)


def record_activity(request, now):
    """Note the request as the session's latest activity, at most once a minute (see the module's docstring)."""
    session = request.session
    if not due(session, now):
        return
    minutes = idle_timeout_of(request.user)
    session.setdefault(SIGNED_IN_AT, now)
    session[LAST_ACTIVITY] = now
    session[IDLE_MINUTES] = minutes
    # The session's row and cookie expire an hour after its lifetime (then clearsessions removes the row): the check
    # above ends it, and the first request after the lifetime still finds it, so the person is told why.
    session.set_expiry(datetime.fromtimestamp(session[SIGNED_IN_AT] + lifetime_seconds(minutes) + KEPT_AFTER, tz=UTC))
    UserSession.objects.create_from_request(request)


class SessionTimeoutMiddleware:
    """End a session that is over before the page runs; record the activity of the rest on the way out.

    Sets ``request.session_clock`` (a ``SessionClock`` or None) for the page's warning before the end."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.session_clock = None
        now = time.time()
        if request.user.is_authenticated:
            over = session_over(request, now)
            if over is not None:
                return over
            request.session_clock = clock_of(request, now)
        response = self.get_response(request)
        if request.user.is_authenticated and not is_background(request):  # signed in by this request, too
            record_activity(request, now)
        return response
