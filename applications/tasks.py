"""The applications' periodic tasks (named in settings.CELERY_BEAT_SCHEDULE): reminders and receipts due by the clock."""

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from applications import notices
from applications.models import Application
from applications.reminders import completion_reminders, draft_reminders, manager_reminders, period_closed_receipts
from fundportal.tasks import FunderTask


@shared_task
def send_reminders():
    """Celery beat, every hour: each funder's reminders run in that funder's own task."""
    return funder_reminders.for_every_funder()


@shared_task(base=FunderTask)
def funder_reminders(funder, now=None):
    """Every reminder and receipt about applications due for ``funder`` at ``now`` (ISO time; default: the present),
    each sent once."""
    moment = datetime.fromisoformat(now) if now else timezone.now()
    return {
        "drafts": draft_reminders(funder, moment),
        "managers": manager_reminders(funder, moment),
        "period_closed": period_closed_receipts(funder, moment),
        "completions": completion_reminders(funder, moment),
    }


@shared_task(base=FunderTask)
def send_receipt(funder, application_id, revision):
    """The receipt of a submission, once it is stored: its PDF rendered and the email queued. Outside the request
    and its locks, so a rush of submissions before a deadline waits for no PDF."""
    application = Application.objects.select_related("call__fund", "funder", "applicant", "period").get(
        pk=application_id)
    notices.receipt(application, application.revisions.get(number=revision))
