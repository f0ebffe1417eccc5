"""Personal links: links that act in the recipient's name (choose a password, approve an application, confirm or end
a subscription) are never stored in the outbox, where every fund administrator can read them.

An email is stored with a stand-in, ``[[personal-link:<kind>:<id>]]``; the send task swaps it for the real link just
before the email leaves, and the outbox pages show "[the personal link is added when the email is sent]". Each kind's
maker receives the recipient and makes the link only for an object that belongs to that address — so a stand-in typed
into a draft can never produce someone else's link — and returns None when there is none (any more). The app that owns
a kind adds its maker in its AppConfig.ready (``personal_link_maker``), so the core names no app.
"""

import re

from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

MAKERS = {}  # kind: maker(*, funder, recipient, ref) -> the link, or None


def personal_link_maker(kind, maker):
    """Links of ``kind`` are made by ``maker`` (called by the app that owns the kind, in its AppConfig.ready)."""
    MAKERS[kind] = maker


def _stand_ins():
    """The stand-ins of every kind with a maker; text that only looks like one is left as it is."""
    return re.compile(r"\[\[personal-link:(?P<kind>%s):(?P<ref>\d+)\]\]" % "|".join(map(re.escape, MAKERS)))


def absolute(path):
    """``path`` as a whole address on the portal, for a link in an email or a letter."""
    return settings.PORTAL_URL.rstrip("/") + path


def personal_link(kind, ref):
    """The stand-in stored in the email for ``kind``'s link to object ``ref``."""
    assert kind in MAKERS, kind
    return f"[[personal-link:{kind}:{ref}]]"


def personal_links_hidden(text):
    """``text`` as an administrator reads it in the outbox: each stand-in is a placeholder."""
    return _stand_ins().sub(_("[the personal link is added when the email is sent]"), text)


def personal_links_filled(*, funder, recipient, body, html):
    """The (body, html) to send: each stand-in replaced by its freshly made link, in the HTML as a link."""
    urls = {}

    def url(match):
        if match.group(0) not in urls:
            made = MAKERS[match["kind"]](funder=funder, recipient=recipient, ref=int(match["ref"]))
            with translation.override(funder.default_language):
                urls[match.group(0)] = made or _("[this link is no longer valid]")
        return urls[match.group(0)]

    def anchor(match):
        text = escape(url(match))
        return f'<a href="{text}">{text}</a>' if text.startswith("http") else text

    stand_ins = _stand_ins()
    return stand_ins.sub(url, body), stand_ins.sub(anchor, html)
