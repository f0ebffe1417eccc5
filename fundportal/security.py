"""Strong sign-in: who must use a second factor, what counts as one, which pages wait for it, and the
re-authentication the most sensitive actions ask for.

Who must use a second factor (``two_factor_required``): the platform's operators (``is_superuser`` or ``is_staff``,
who reach the Django admin) always, and every person holding a role at a funder whose administrators turned on
"staff must sign in with two factors" (``Funder.staff_two_factor_required``). A person with no role (an applicant)
never.

What counts (``session_is_strong``): allauth keeps a record of each way the person proved who they are in this
session. A session is strong when one of them is a second factor (method ``mfa``: an authenticator app's code, a
recovery code or a passkey, at sign-in or when confirming later) or a sign-in through a social account: the only
social accounts the portal offers are the funders' national e-ID brokers (BankID, Freja, ID-porten through OpenID
Connect), which are two factors by nature — for the people of the funder that chose the broker (``e_id_vouches_for``). Adding an authenticator app or a security key proves the factor too,
so the session that added it is strong from then on (``_added_factor_makes_the_session_strong``).

Which pages wait (``is_staff_page``): every page of the portal and of the Django admin, except the person's own
account (allauth's pages: sign-in and sign-out, re-authentication, email addresses, password, second factors,
sessions), the page that explains the rule, the language switch, the health check and, in development, the local
mailbox (it stands for the person's own inbox). Static files are served before any of this. A person who must
use a second factor and whose session is not strong is sent from any such page, GET or POST, to the explanation
(``TwoFactorRequiredView``), which leads them to set one up, or to confirm with the one they have; nothing of a
refused POST is done.

A passkey sign-in counts (allauth records it as ``mfa``) because the portal asks every key to check its holder
(MFA_WEBAUTHN_USER_VERIFICATION = "required"): possession and a PIN or biometrics.

Re-authentication (``RecentAuthenticationRequired``): allauth's own rule — the password or a second factor
confirmed within ACCOUNT_REAUTHENTICATION_TIMEOUT — guards its email-address and second-factor changes (a refused
email change is kept by allauth and done once confirmed); changing the password asks for the current one in its
form. The portal's most sensitive actions (releasing decisions, giving or taking roles, exporting personal data)
name the mixin and ask the same; their refused POSTs are not replayed (allauth's replay would skip the funder's
scope), the person presses again.
"""

import time
from urllib.parse import urlsplit

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.conf import settings
from django.contrib import messages
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from fundportal.identity import funder_id_of_provider
from fundportal.selectors import roles_everywhere

FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)  # what one signs in with (recovery codes back them)
OPEN_PAGES = frozenset({"two_factor_required", "set_language", "healthz", "mailbox", "mail", "mailbox_new_account"})
NEXT_PAGE = "two_factor_next"  # the session key of the page a person was on their way to when sent to the rule


def two_factor_required(user) -> bool:
    """Whether ``user`` must sign in with a second factor: operators always, a funder's staff when it asks."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return any(two_factors for _roles, two_factors in roles_everywhere(user).values())


def session_is_strong(request) -> bool:
    """Whether this session's person proved a second factor (or signed in with an e-ID): allauth's records."""
    return any(record.get("method") == "mfa"
               or (record.get("method") == "socialaccount" and e_id_vouches_for(record.get("provider"), request.user))
               for record in get_authentication_records(request, request.user))


def e_id_vouches_for(provider_id, user) -> bool:
    """A funder's e-ID stands for two factors for that funder's own people only: its broker is the choice of that
    funder's administrators, so someone who also holds a role at another funder (an applicant who linked it and
    later joined another funder's panel, say) proves a second factor of their own there."""
    funder_id = funder_id_of_provider(provider_id)
    return funder_id is not None and set(roles_everywhere(user)) <= {funder_id}


def is_staff_page(view_func, view_name) -> bool:
    """Whether the page waits for the second factor: all but the person's own account pages and a few open ones."""
    view = getattr(view_func, "view_class", view_func)
    return not view.__module__.startswith("allauth.") and view_name not in OPEN_PAGES


class TwoFactorMiddleware:
    """Send a person who must use a second factor, and whose session has none, from every staff page to the page
    that says why and leads on. No query for a strong session or an operator; one otherwise (the person's roles,
    which the page's own permission checks then reuse)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or not is_staff_page(view_func, request.resolver_match.view_name):
            return None
        if session_is_strong(request) or not two_factor_required(request.user):
            return None
        if request.method == "GET":
            request.session[NEXT_PAGE] = request.get_full_path()
        return HttpResponseRedirect(reverse("two_factor_required"))


@receiver(authenticator_added, dispatch_uid="fundportal.security.added_factor")
def _added_factor_makes_the_session_strong(sender, request, user, authenticator, **kwargs):
    """Adding an authenticator app (with a code it made) or a security key (with a signature it made) proves the
    factor as signing in with it would; recorded as allauth records a second factor, so the session is strong."""
    if authenticator.type in FACTORS and request.user == user:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)


def reauthentication_due(request) -> bool:
    """Whether the person must confirm it is them (password or second factor) before a sensitive action: allauth's
    rule, the last confirmation older than ACCOUNT_REAUTHENTICATION_TIMEOUT. A person who signs in only through an
    e-ID has nothing to confirm with here, and allauth lets them through (their e-ID sign-in is two factors).
    A recent confirmation in the session answers at once; only without one does allauth look up (in queries) how
    the person could confirm."""
    if not settings.ACCOUNT_REAUTHENTICATION_REQUIRED:
        return False
    confirmations = [record["at"] for record in get_authentication_records(request, request.user)
                     if record.get("reauthenticated")]
    if confirmations and time.time() - confirmations[-1] < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT:
        return False
    return not did_recently_reauthenticate(request)


class RecentAuthenticationRequired:
    """A view mixin for the most sensitive actions: the person confirms it is them (password or second factor)
    within the last few minutes first. Named after the view's permission mixin, so that someone who may not act
    at all is refused as before and only the permitted are asked.

    A GET (a download) is sent to confirm and then straight back to its address. A POST is refused — nothing of it
    is done — and sent to confirm and then back to the page that holds the action (the page the form was on, else
    the view's own address), where they press it again; the confirmation counts for the next few minutes.
    """

    sensitive_methods = ("POST",)  # a view whose GET gives the data away (a download) names GET too

    def dispatch(self, request, *args, **kwargs):
        if request.method in self.sensitive_methods and reauthentication_due(request):
            return self.ask_to_reauthenticate()
        return super().dispatch(request, *args, **kwargs)

    def reauthentication_return_url(self):
        """The page that holds the action: the form's page (same origin), else the view's own address."""
        page = self.request.headers.get("referer", "")
        if page and url_has_allowed_host_and_scheme(page, {self.request.get_host()}, self.request.is_secure()):
            parts = urlsplit(page)
            return parts.path + (f"?{parts.query}" if parts.query else "")
        return self.request.path

    def ask_to_reauthenticate(self):
        request = self.request
        if request.method == "GET":
            back = request.get_full_path()
        else:
            back = self.reauthentication_return_url()
            messages.info(request, _("Nothing was done yet: confirm it is you, then do it again."))
        return HttpResponseRedirect(f"{reverse('account_reauthenticate')}?{urlencode({'next': back})}")
