"""Emails about calls, written in the recipient's language, each with an unsubscribe link."""

from django.core import signing
from django.urls import reverse

from calls.models import Subscriber
from fundportal.emails import email_send
from fundportal.links import absolute, personal_link

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


def _subscription_url(name, funder, recipient, ref):
    subscriber = Subscriber.objects.filter(pk=ref, email=recipient).first()
    if subscriber is None:
        return None
    return absolute(reverse(f"calls:subscription_{name}", args=[funder.slug, subscription_token(subscriber)]))


def subscription_confirm_url(*, funder, recipient, ref):
    """The personal link that confirms subscriber ``ref``'s subscription, made when the email is sent."""
    return _subscription_url("confirm", funder, recipient, ref)


def unsubscribe_url(*, funder, recipient, ref):
    """The personal link that ends subscriber ``ref``'s subscription, made when the email is sent."""
    return _subscription_url("cancel", funder, recipient, ref)


def _subscriber_email(subscriber, kind, occasion, **values):
    """Queue a ``kind`` email to a subscriber in their language, with the link that ends the subscription."""
    return email_send(funder=subscriber.funder, kind=kind, recipient=subscriber.email, language=subscriber.language,
                      occasion=occasion, values={"funder": subscriber.funder.name,
                                                 "unsubscribe_url": personal_link("unsubscribe", subscriber.pk),
                                                 **values})


def send_confirmation(subscriber):
    """The double opt-in: nothing more is sent until the subscriber confirms by the link."""
    return _subscriber_email(subscriber, "subscription_confirm", f"subscription-confirm:{subscriber.pk}",
                             url=personal_link("subscription-confirm", subscriber.pk))


def send_call_published(call, subscriber):
    url = absolute(reverse("calls:call_detail", args=[call.funder.slug, call.slug]))
    return _subscriber_email(subscriber, "call_published", f"call-published:{call.pk}:{subscriber.pk}",
                             call=lambda: call.display_title, url=url)
