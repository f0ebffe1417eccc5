"""Sign-in with a national e-ID: each funder's OpenID Connect broker (BankID and Freja in Sweden, ID-porten in
Norway, as their brokers offer them), kept on the funder and run by allauth.

Where things are
    ``fundportal.models.IdentityProvider`` holds a funder's broker: the name on the button, the issuer, the client
    id and the client secret. ``FunderSocialAccountAdapter`` (``SOCIALACCOUNT_ADAPTER``) hands allauth an unsaved
    ``SocialApp`` built from it, so the row is the one source: no allauth ``SocialApp`` is stored, the Django admin
    lists none and shows no secret. Each funder's e-ID has allauth's provider id ``e-id-<funder id>``; its social
    accounts carry that id.

The secret
    Write-only: pages never show it again, and it is kept encrypted (Fernet, its key derived from ``SECRET_KEY``;
    the keys of ``SECRET_KEY_FALLBACKS`` still read what they wrote, so rotating the secret key the Django way keeps
    it readable). A copy of the database (a backup, the replica) therefore holds no usable client secret; whoever
    holds the environment's secret key and the database together can read it, as the portal itself must.

Tenancy
    The e-ID is offered and works only under the funder's own address: the sign-in starts at
    ``/<funder>/sign-in/e-id/`` and the broker returns to ``/<funder>/sign-in/e-id/callback/`` (allauth's own
    ``/accounts/oidc/…`` addresses answer 404), and the sign-in page shows the button of the funder its ``next``
    names, nobody else's.

What the sign-in checks (allauth 65.21 alone does not do all of this)
    allauth skips the ID token's signature when the token came straight from the token endpoint, sends and checks
    no nonce, verifies ``exp`` only when the claim is there, trusts the issuer the discovery document names and never
    compares the userinfo's subject with the ID token's. ``FunderEIdOAuth2Adapter`` instead checks, on every sign-in:
    the discovery document's issuer is the configured one; the ID token is signed with an asymmetric algorithm by a
    key of the broker's JWKS; ``iss``, ``aud`` (and ``azp``), ``exp``, ``iat`` and ``sub`` are there and right; its
    nonce is the one this browser's sign-in sent (kept in allauth's one-time state); the userinfo's ``sub`` is the ID
    token's. PKCE (S256) is on (``SOCIALACCOUNT_PROVIDERS``).

Who is matched
    A sign-in whose e-ID is already linked signs that account in. Otherwise the broker's email address, when it says
    ``email_verified``, signs in the account holding that verified address and links the e-ID to it — only when that
    account holds a role at this funder and at no other, and is no operator's: a funder's broker vouches for its own
    staff alone (an applicant signs in with their password once and links the e-ID from their connections page). An
    unverified address is confirmed by email as any new account's is; a new person gets an account.

What is kept
    allauth's social account: the broker's subject (``sub``) and, as its extra data, only the claims of
    ``KEPT_CLAIMS`` (no personal identity number, birth date or address a broker may send); no token is stored
    (``SOCIALACCOUNT_STORE_TOKENS = False``).
"""

import base64
import hashlib
import logging
import re
from urllib.parse import urlencode, urlsplit

import jwt
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter, get_adapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.crypto import constant_time_compare, get_random_string
from django.utils.translation import gettext as _

from fundportal.models import Funder, IdentityProvider, Membership
from fundportal.tenancy import scope, scopes_disabled

logger = logging.getLogger(__name__)

PROVIDER = OpenIDConnectProvider.id  # allauth's provider class for every funder's e-ID
PROVIDER_ID_PREFIX = "e-id-"
WELL_KNOWN = "/.well-known/openid-configuration"
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
LEEWAY_SECONDS = 30  # clocks of the portal and the broker may differ this much
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
KEPT_CLAIMS = ("iss", "sub", "email", "email_verified", "name", "given_name", "family_name", "acr")


# --- the secret ------------------------------------------------------------------------------------------------

def _fernet():
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"fundportal.e-id:{key}".encode()).digest()))
                        for key in keys])


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt_secret(token: str) -> str:
    """The client secret, or "" when no key of this installation wrote it (the administrator enters it again)."""
    try:
        return _fernet().decrypt(token.encode()).decode() if token else ""
    except InvalidToken:
        logger.error("An e-ID client secret cannot be decrypted with SECRET_KEY or SECRET_KEY_FALLBACKS")
        return ""


# --- the broker's discovery document ---------------------------------------------------------------------------

def check_address(url: str) -> None:
    """An address of the broker: https, or http on this machine while developing and testing."""
    try:
        parts = urlsplit(url)
        local = parts.hostname in LOCAL_HOSTS and settings.E_ID_ALLOW_HTTP_ON_LOCALHOST
    except ValueError:  # e.g. an unclosed [IPv6 address
        raise ValidationError(_("The address must start with https://."), code="not_https") from None
    if not parts.hostname or not (parts.scheme == "https" or parts.scheme == "http" and local):
        raise ValidationError(_("The address must start with https://."), code="not_https")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValidationError(_("The address must not carry a query, a fragment or a password."), code="address")


def discovery_document(issuer: str) -> dict:
    """The broker's OpenID configuration, fetched within SOCIALACCOUNT_REQUESTS_TIMEOUT seconds and checked: it
    names this issuer and https endpoints for signing in, tokens and keys."""
    check_address(issuer)
    try:
        response = requests.get(issuer.rstrip("/") + WELL_KNOWN, timeout=settings.SOCIALACCOUNT_REQUESTS_TIMEOUT,
                                allow_redirects=False)
    except requests.Timeout:
        raise ValidationError(_("The issuer did not answer within %(seconds)s seconds."), code="timeout",
                              params={"seconds": settings.SOCIALACCOUNT_REQUESTS_TIMEOUT}) from None
    except requests.RequestException:
        raise ValidationError(_("The issuer cannot be reached. Check the address."), code="unreachable") from None
    if response.status_code != 200:
        raise ValidationError(_("The issuer answered %(status)s instead of its OpenID Connect configuration at "
                                "%(path)s."), code="status", params={"status": response.status_code, "path": WELL_KNOWN})
    try:
        document = response.json()
    except ValueError:
        document = None
    if not isinstance(document, dict):
        raise ValidationError(_("The issuer's %(path)s is not an OpenID Connect configuration."), code="invalid",
                              params={"path": WELL_KNOWN})
    if not isinstance(document.get("issuer"), str) or document["issuer"].rstrip("/") != issuer.rstrip("/"):
        raise ValidationError(_("The configuration names another issuer (%(named)s)."), code="issuer",
                              params={"named": str(document.get("issuer"))[:200]})
    for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(document.get(endpoint), str):
            raise ValidationError(_("The configuration has no %(endpoint)s."), code="invalid",
                                  params={"endpoint": endpoint})
        check_address(document[endpoint])
    if document.get("userinfo_endpoint") is not None:
        check_address(str(document["userinfo_endpoint"]))
    if not signing_algorithms(document):
        raise ValidationError(_("The issuer signs its ID tokens with no algorithm the portal accepts (%(accepted)s)."),
                              code="algorithms", params={"accepted": ", ".join(ALGORITHMS)})
    return document


def origin_of(url: str) -> str:
    """``https://login.broker.example`` of ``https://login.broker.example/authorize?…``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def signing_algorithms(document: dict) -> list[str]:
    """The asymmetric algorithms both the broker and the portal accept for ID tokens (never HS256 or none)."""
    offered = document.get("id_token_signing_alg_values_supported") or ["RS256"]
    return [algorithm for algorithm in ALGORITHMS if algorithm in offered]


# --- the service and the reads ---------------------------------------------------------------------------------

def identity_provider_save(*, funder: Funder, display_name: str, issuer: str, client_id: str, client_secret: str,
                           enabled: bool) -> IdentityProvider:
    """Keep the funder's e-ID broker. The issuer's configuration is fetched and checked first (outside the
    transaction: it may take seconds); an empty secret keeps the one saved."""
    display_name, issuer, client_id = display_name.strip(), issuer.strip(), client_id.strip()
    saved = identity_provider_of(funder)
    errors = {}
    if not display_name:
        errors["display_name"] = _("Give the name people know the e-ID by, e.g. BankID.")
    if not client_id:
        errors["client_id"] = _("Enter the client id the broker gave you.")
    if not client_secret and not (saved and saved.encrypted_secret):
        errors["client_secret"] = _("Enter the client secret the broker gave you.")
    if errors:
        raise ValidationError(errors)
    try:
        document = discovery_document(issuer)
    except ValidationError as error:
        raise ValidationError({"issuer": error.messages}) from None
    fields = {"display_name": display_name, "issuer": document["issuer"], "client_id": client_id, "enabled": enabled,
              "authorization_origin": origin_of(document["authorization_endpoint"])}
    if client_secret:
        fields["encrypted_secret"] = encrypt_secret(client_secret)
    IdentityProvider(funder=funder, **fields).full_clean(exclude=["funder", "encrypted_secret"])
    with transaction.atomic(), scope(funder=funder):
        identity, created = IdentityProvider.objects.select_for_update().get_or_create(funder=funder, defaults=fields)
        if not created:  # two administrators saving at once: the later one's values are kept, never two rows
            for name, value in fields.items():
                setattr(identity, name, value)
            identity.save()
    return identity


def identity_provider_of(funder: Funder | None) -> IdentityProvider | None:
    if funder is None:
        return None
    with scope(funder=funder):
        identity = IdentityProvider.objects.filter(funder=funder).first()
    if identity is not None:
        identity.funder = funder
    return identity


def funder_id_of_provider(provider_id: str) -> int | None:
    """The funder whose e-ID allauth's provider id (``e-id-<funder id>``) names, or None for anything else."""
    number = str(provider_id).removeprefix(PROVIDER_ID_PREFIX)
    if not str(provider_id).startswith(PROVIDER_ID_PREFIX) or not number.isdigit():
        return None
    return int(number)


def identity_provider_by_id(provider_id: str) -> IdentityProvider | None:
    """A funder's e-ID by allauth's provider id, whether on or off (a linked account still names it)."""
    funder_id = funder_id_of_provider(provider_id)
    if funder_id is None:
        return None
    with scopes_disabled():
        return (IdentityProvider.objects.filter(funder_id=funder_id, funder__is_active=True)
                .select_related("funder").first())


def funder_of_request(request) -> Funder | None:
    """The funder a page is about: the one of its address, else the one its ``next`` leads to (the sign-in page)."""
    if getattr(request, "funder", None) is not None:
        return request.funder
    next_path = request.POST.get("next") or request.GET.get("next") or ""
    slug = re.match(r"/([a-z0-9-]{1,60})/", next_path)  # a funder's address name, nothing a query could choke on
    return Funder.objects.filter(slug=slug[1], is_active=True).first() if slug else None


def offered_identity_providers(request) -> list[IdentityProvider]:
    """The e-ID a page offers: its funder's, when turned on (read once per request, however often allauth asks)."""
    if request is None:
        return []
    if not hasattr(request, "_offered_identity_providers"):
        identity = identity_provider_of(funder_of_request(request))
        request._offered_identity_providers = [identity] if identity is not None and identity.enabled else []
    return request._offered_identity_providers


def social_app(identity: IdentityProvider) -> SocialApp:
    """allauth's app for a funder's e-ID, built in memory (never saved)."""
    return SocialApp(provider=PROVIDER, provider_id=identity.provider_id, name=identity.display_name,
                     client_id=identity.client_id, secret=decrypt_secret(identity.encrypted_secret),
                     settings={"server_url": identity.issuer, "funder_slug": identity.funder.slug})


def callback_url(request, funder: Funder) -> str:
    """Where the broker sends people back: the address the administrator registers with it."""
    return build_absolute_uri(request, reverse("e_id_callback", kwargs={"funder_slug": funder.slug}))


# --- checking the broker's answer --------------------------------------------------------------------------------

class EIdRefused(OAuth2Error):
    """A sign-in the portal refuses, with the reason the person reads (allauth shows its error page)."""

    def __init__(self, message, detail=""):
        super().__init__(detail or message)
        self.message = message


def _signing_key(jwks, kid, algorithm):
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    candidates = [key for key in keys or [] if isinstance(key, dict) and key.get("use", "sig") == "sig"
                  and key.get("alg", algorithm) == algorithm and (kid is None or key.get("kid") == kid)]
    if len(candidates) != 1:
        raise EIdRefused(_("The e-ID service's answer was not signed with its published keys."), f"no key {kid!r}")
    try:
        return jwt.PyJWK(candidates[0], algorithm=algorithm).key
    except (jwt.PyJWKError, jwt.InvalidKeyError, ValueError, TypeError) as error:
        raise EIdRefused(_("The e-ID service's answer was not signed with its published keys."), str(error)) from None


def verify_id_token(id_token: str, *, jwks: dict, issuer: str, client_id: str, nonce: str | None,
                    algorithms: list[str]) -> dict:
    """The ID token's claims once its signature, issuer, audience, times, subject and nonce are right."""
    try:
        header = jwt.get_unverified_header(id_token)
    except jwt.PyJWTError:
        raise EIdRefused(_("The e-ID service's answer could not be read."), "not a JWT") from None
    algorithm = header.get("alg")
    if algorithm not in algorithms:
        raise EIdRefused(_("The e-ID service's answer was not signed with its published keys."), f"alg {algorithm!r}")
    key = _signing_key(jwks, header.get("kid"), algorithm)
    try:
        claims = jwt.decode(id_token, key=key, algorithms=[algorithm], audience=client_id, issuer=issuer,
                            leeway=LEEWAY_SECONDS, options={"require": ["iss", "sub", "aud", "exp", "iat"]})
    except jwt.InvalidSignatureError:
        raise EIdRefused(_("The e-ID service's answer was not signed with its published keys."), "signature") from None
    except jwt.ExpiredSignatureError:
        raise EIdRefused(_("The e-ID service's answer has expired. Please sign in again."), "expired") from None
    except jwt.InvalidIssuerError:
        raise EIdRefused(_("The e-ID service's answer comes from another issuer than this funder's."), "iss") from None
    except jwt.InvalidAudienceError:
        raise EIdRefused(_("The e-ID service's answer was meant for another service."), "aud") from None
    except jwt.PyJWTError as error:
        raise EIdRefused(_("The e-ID service's answer could not be read."), str(error)) from None
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if ("azp" in claims or len(audiences) > 1) and claims.get("azp") != client_id:
        raise EIdRefused(_("The e-ID service's answer was meant for another service."), "azp")
    if not nonce or not isinstance(claims.get("nonce"), str) or not constant_time_compare(claims["nonce"], nonce):
        raise EIdRefused(_("The e-ID service's answer does not belong to this sign-in. Please sign in again."), "nonce")
    return claims


# --- allauth: the provider, its OAuth2 adapter and the social account adapter ---------------------------------------

class FunderEIdOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect client for a funder's broker, checking everything the module doc lists."""

    expected_nonce = None  # set by the callback view from the sign-in's one-time state

    @property
    def openid_config(self):
        if not hasattr(self, "_openid_config"):
            issuer = self.get_provider().app.settings["server_url"]
            try:
                self._openid_config = discovery_document(issuer)
            except ValidationError as error:
                raise EIdRefused(_("The e-ID service cannot be reached just now. Please try again later."),
                                 "; ".join(error.messages)) from None
        return self._openid_config

    def get_callback_url(self, request, app):
        return build_absolute_uri(request, self.get_provider().get_callback_url())

    def _get_json(self, url, **kwargs):
        try:
            with get_adapter().get_requests_session() as session:
                response = session.get(url, **kwargs)
                response.raise_for_status()
                return response.json()
        except (requests.RequestException, ValueError) as error:
            raise EIdRefused(_("The e-ID service cannot be reached just now. Please try again later."),
                             str(error)) from None

    def complete_login(self, request, app, token, **kwargs):
        id_token = kwargs["response"].get("id_token")
        if not isinstance(id_token, str):
            raise EIdRefused(_("The e-ID service's answer could not be read."), "no id_token")
        config = self.openid_config
        claims = verify_id_token(id_token, jwks=self._get_json(config["jwks_uri"]), issuer=config["issuer"],
                                 client_id=app.client_id, nonce=self.expected_nonce,
                                 algorithms=signing_algorithms(config))
        data = {"id_token": claims}
        if config.get("userinfo_endpoint"):
            userinfo = self._get_json(config["userinfo_endpoint"], headers={"Authorization": f"Bearer {token.token}"})
            if not isinstance(userinfo, dict) or userinfo.get("sub") != claims["sub"]:
                raise EIdRefused(_("The e-ID service's answer could not be read."), "userinfo sub")
            data["userinfo"] = userinfo
        return self.get_provider().sociallogin_from_response(request, data)


class FunderEIdProvider(OpenIDConnectProvider):
    """A funder's e-ID: signed in under the funder's address, with a nonce, keeping only ``KEPT_CLAIMS``."""

    oauth2_adapter_class = FunderEIdOAuth2Adapter
    supports_token_authentication = False  # no ID token is accepted from a browser's script

    @property
    def funder_slug(self):
        return self.app.settings["funder_slug"]

    def serialize(self):
        """Named by the funder's provider id, so a sign-in kept in the session (the sign-up form, when the broker
        gives no email) finds its funder's e-ID again on pages outside the funder's address."""
        return {"id": self.sub_id, "app.client_id": self.app.client_id}

    def get_login_url(self, request, **kwargs):
        url = reverse("e_id_login", kwargs={"funder_slug": self.funder_slug})
        return f"{url}?{urlencode(kwargs)}" if kwargs else url

    def get_callback_url(self):
        return reverse("e_id_callback", kwargs={"funder_slug": self.funder_slug})

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        if getattr(request.funder, "slug", None) != self.funder_slug:
            raise Http404
        nonce = get_random_string(32)
        auth_params = {**(kwargs.pop("auth_params", None) or self.get_auth_params()), "nonce": nonce}
        try:
            return super().redirect(request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs)
        except EIdRefused as refusal:
            logger.warning("e-ID sign-in at %s not started: %s", self.funder_slug, refusal)
            return render_authentication_error(request, self, exception=refusal)

    def extract_extra_data(self, data):
        return {part: {claim: claims[claim] for claim in KEPT_CLAIMS if claim in claims}
                for part, claims in data.items() if isinstance(claims, dict)}

    def extract_email_addresses(self, data):
        """The broker's address, verified only when it says so in so many words (a JSON true, not any value)."""
        addresses = super().extract_email_addresses(data)
        for address in addresses:
            address.verified = address.verified in (True, "true")
        return addresses


class FunderSocialAccountAdapter(DefaultSocialAccountAdapter):
    """allauth's apps are the funders' e-IDs: the page's funder's one, or the one a social account names."""

    def list_apps(self, request, provider=None, client_id=None):
        if provider is not None and provider != PROVIDER:
            found = [identity_provider_by_id(provider)]
        else:
            found = offered_identity_providers(request)
        found = [identity for identity in found
                 if identity is not None and (client_id is None or identity.client_id == client_id)]
        if request is not None:  # the page may hold a form sent on to these brokers: EIdFormActionMiddleware
            request.e_id_origins = {*getattr(request, "e_id_origins", ()),
                                    *(identity.authorization_origin for identity in found if identity.authorization_origin)}
        return [social_app(identity) for identity in found]

    def get_provider(self, request, provider, client_id=None):
        found = super().get_provider(request, provider, client_id)
        return FunderEIdProvider(request, app=found.app) if isinstance(found, OpenIDConnectProvider) else found

    def list_providers(self, request):
        return [FunderEIdProvider(request, app=found.app) if isinstance(found, OpenIDConnectProvider) else found
                for found in super().list_providers(request)]

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        logger.warning("e-ID sign-in refused at %s: %s %s", getattr(provider, "funder_slug", provider), error,
                       exception or "")

    def authenticate_by_email(self, sociallogin):
        """The account holding the broker's verified address, if this funder's broker may vouch for it."""
        identity = identity_provider_by_id(sociallogin.account.provider)
        for address in sociallogin.email_addresses:
            if not address.verified or identity is None:
                continue
            held = EmailAddress.objects.filter(email__iexact=address.email, verified=True).select_related("user").first()
            if held is not None and may_vouch_for(identity, held.user):
                return held.user, held.email
        return None


def may_vouch_for(identity: IdentityProvider, user) -> bool:
    """A funder's broker signs in by email only the funder's own staff: people holding a role there and at no other
    funder, never an operator. The funder's administrators choose the broker, so it vouches for no one else: an
    applicant (who may apply to every funder) signs in with their password once and links the e-ID themselves."""
    if user.is_superuser or user.is_staff:
        return False
    with scopes_disabled():
        funders = set(Membership.objects.filter(user=user).values_list("funder_id", flat=True))
    return funders == {identity.funder_id}


class EIdFormActionMiddleware:
    """A page offering a funder's e-ID (the sign-in page, allauth's page starting it, the connections page) holds a
    form whose POST is answered by a redirect to the broker, and Chromium checks the Content-Security-Policy's
    form-action on that redirect too: such a page's policy adds the broker's origin, and no other page's does.
    Listed after django-csp's middleware, so this runs on the response before the policy is written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        origins = sorted(getattr(request, "e_id_origins", ()))
        if origins:
            update = getattr(response, "_csp_update", None) or {}
            response._csp_update = {**update, "form-action": [*update.get("form-action", []), *origins]}
        return response
