"""Personal links: links that act in the recipient's name (choose a password, approve an application, confirm or end
a subscription) are never stored in the outbox, where every fund administrator can read them.

An email is stored with a stand-in, ``[[personal-link:<kind>:<id>]]``; the send task swaps it for the real link just
before the email leaves, and the outbox pages show "[the personal link is added when the email is sent]". Each kind's
maker receives the recipient and makes the link only for an object that belongs to that address — so a stand-in typed
into a draft can never produce someone else's link — and returns None when there is none (any more).
"""

import re

from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

MAKERS = {
    "set-password": "fundportal.services.set_password_url",
    "manager": "applications.notices.manager_url",
    "subscription-confirm": "calls.notices.subscription_confirm_url",
    "unsubscribe": "calls.notices.unsubscribe_url",
}
STAND_IN = re.compile(r"\[\[personal-link:(?P<kind>%s):(?P<ref>\d+)\]\]" % "|".join(map(re.escape, MAKERS)))


def absolute(path):
    """``path`` as a whole address on the portal, for a link in an email or a letter."""
    return settings.PORTAL_URL.rstrip("/") + path


def personal_link(kind, ref):
    """The stand-in stored in the email for ``kind``'s link to object ``ref``."""
    assert kind in MAKERS, kind
    return f"[[personal-link:{kind}:{ref}]]"


def personal_links_hidden(text):
    """``text`` as an administrator reads it in the outbox: each stand-in is a placeholder."""
    return STAND_IN.sub(_("[the personal link is added when the email is sent]"), text)


def personal_links_filled(*, funder, recipient, body, html):
    """The (body, html) to send: each stand-in replaced by its freshly made link, in the HTML as a link."""
    urls = {}

    def url(match):
        if match.group(0) not in urls:
            made = import_string(MAKERS[match["kind"]])(funder=funder, recipient=recipient, ref=int(match["ref"]))
            with translation.override(funder.default_language):
                urls[match.group(0)] = made or _("[this link is no longer valid]")
        return urls[match.group(0)]

    def anchor(match):
        text = escape(url(match))
        return f'<a href="{text}">{text}</a>' if text.startswith("http") else text

    return STAND_IN.sub(url, body), STAND_IN.sub(anchor, html)
