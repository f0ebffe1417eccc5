"""How the tests' people are signed in: as strongly as the portal may ask.

``force_login`` alone leaves a session with no record of how the person proved who they are, which the portal
now reads (fundportal.security): staff who must use a second factor would be sent to set one up, and every
sensitive action would ask them to confirm it is them, and the first page would record the sign-in's clock
(fundportal.sessions) that a real sign-in's response records. The tests' own client (``StrongClient``) therefore signs
people in the way a real sign-in leaves the session — the password and a second factor — and as if they had just
confirmed it is them, by allauth's own record of each. Tests of those rules themselves use a plain
``django.test.Client`` and these helpers to build exactly the session they need.
"""

import base64
import hashlib
import hmac
import struct
import time

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client, RequestFactory

from fundportal.sessions import record_activity


def record(client, user, method, **extra):
    """Add allauth's record of ``user`` authenticating by ``method`` to ``client``'s session, as allauth writes it."""
    session = client.session
    request = RequestFactory().get("/")
    request.session, request.user = session, user
    record_authentication(request, user, method, **extra)
    session.save()


def confirmed_just_now(client, user):
    """The person confirmed it is them with their password a moment ago (allauth's re-authentication)."""
    record(client, user, "password", reauthenticated=True)


def signed_in_with_two_factors(client, user):
    record(client, user, "mfa", type="totp")


def session_recorded(client, user):
    """The sign-in's own request recorded the session's clock and its row among the person's active sessions
    (fundportal.sessions), as the response to a real sign-in does."""
    session = client.session
    request = RequestFactory().get("/", HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36")
    request.session, request.user = session, user
    record_activity(request, time.time())
    session.save()


def with_authenticator_app(user):
    """Give ``user`` an authenticator app; returns its secret (the tests compute its codes)."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret, at=None):
    """The six-digit code an authenticator app shows for ``secret`` now (RFC 6238: HMAC-SHA1, 30-second steps),
    computed here rather than by allauth, so the tests check allauth against the standard."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


class StrongClient(Client):
    """A test client whose ``force_login`` signs the person in with two factors, having just confirmed it is them."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        signed_in_with_two_factors(self, user)
        confirmed_just_now(self, user)
        session_recorded(self, user)
