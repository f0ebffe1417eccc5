"""Celery tasks for calls."""

from celery import shared_task

from calls.models import Call, Subscriber
from calls.notices import call_published_email
from fundportal.services import email_queue
from fundportal.tasks import FunderTask


@shared_task(base=FunderTask)
def announce_call(funder, call_id):
    """Tell every confirmed subscriber about a newly published call, once each."""
    call = Call.objects.select_related("funder").get(pk=call_id)
    subscribers = Subscriber.objects.filter(confirmed_at__isnull=False)
    for subscriber in subscribers:
        email_queue(funder=funder, kind="call_published", occasion=f"call-published:{call.pk}:{subscriber.pk}",
                    recipient=subscriber.email, **call_published_email(call, subscriber))
    return subscribers.count()
