"""Emails about calls, written in the recipient's language, each with an unsubscribe link."""

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from fundportal.services import email_html

SALT = "fundportal.calls.subscription"


def subscription_token(subscriber):
    return signing.dumps({"funder": subscriber.funder_id, "subscriber": subscriber.pk}, salt=SALT)


def read_subscription_token(token, funder):
    """The subscriber id in a token made for ``funder``, or None if forged, altered or another funder's."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return data["subscriber"] if data.get("funder") == funder.pk else None


def absolute(path):
    return settings.PORTAL_URL.rstrip("/") + path


def _links(subscriber):
    token = subscription_token(subscriber)
    slug = subscriber.funder.slug
    return {
        "confirm_url": absolute(reverse("calls:subscription_confirm", args=[slug, token])),
        "unsubscribe_url": absolute(reverse("calls:subscription_cancel", args=[slug, token])),
    }


def _render(template, subscriber, **context):
    with translation.override(subscriber.language):
        context = {"funder": subscriber.funder, **_links(subscriber), **context}
        subject = render_to_string(f"calls/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"calls/email/{template}.txt", context)
        html = email_html(funder=subscriber.funder, subject=subject, body=body)
    return {"subject": subject, "body": body, "html": html}


def confirmation_email(subscriber):
    return _render("subscription_confirm", subscriber)


def call_published_email(call, subscriber):
    call_url = absolute(reverse("calls:call_detail", args=[call.funder.slug, call.slug]))
    with translation.override(subscriber.language):
        title = call.display_title
    return _render("call_published", subscriber, call=call, call_title=title, call_url=call_url)
