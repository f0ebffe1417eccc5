"""Celery tasks for calls."""

from celery import shared_task

from calls.models import Call, Subscriber
from calls.notices import send_call_published
from fundportal.tasks import FunderTask


@shared_task(base=FunderTask)
def announce_call(funder, call_id):
    """Tell every confirmed subscriber about a newly published call, once each."""
    call = Call.objects.select_related("funder").get(pk=call_id)
    subscribers = Subscriber.objects.filter(confirmed_at__isnull=False)
    for subscriber in subscribers:
        send_call_published(call, subscriber)
    return subscribers.count()
