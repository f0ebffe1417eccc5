"""Celery tasks of the assessment, and its periodic ones (named in settings.CELERY_BEAT_SCHEDULE)."""

from datetime import datetime, timedelta

from celery import shared_task
from django.utils import timezone

from applications.letters import OCCASION_PREFIX
from fundportal.models import OutboxEmail
from fundportal.tasks import FunderTask
from review.letters import decision_letter_prepare
from review.models import Decision
from review.reminders import reviewer_reminders


@shared_task(base=FunderTask)
def prepare_decision_letter(funder, decision_id):
    """Render one released decision's letter into its reserved outbox email (once)."""
    decision = Decision.objects.select_related("application__applicant", "application__call").filter(pk=decision_id).first()
    if decision is None or decision.released_at is None:
        return "nothing to prepare"
    return "prepared" if decision_letter_prepare(decision=decision) else "already prepared"


def decision_letters_requeue(*, older_than: timedelta) -> int:
    """Hand letters still being prepared after ``older_than`` to the workers again (a worker died, a job was lost)."""
    waiting = OutboxEmail.objects.filter(kind="decision", status=OutboxEmail.Status.PREPARING,
                                         created__lte=timezone.now() - older_than).values_list("occasion", flat=True)
    decisions = Decision.objects.filter(released_at__isnull=False,
                                        application_id__in=[int(occasion.removeprefix(OCCASION_PREFIX)) for occasion in waiting])
    for decision in decisions.select_related("funder"):
        prepare_decision_letter.enqueue(decision.funder, decision_id=decision.pk)
    return len(decisions)


@shared_task
def send_reminders():
    """Celery beat, every hour: each funder's reminders to reviewers run in that funder's own task."""
    return funder_reminders.for_every_funder()


@shared_task(base=FunderTask)
def funder_reminders(funder, now=None):
    """Every reminder to a reviewer due for ``funder`` at ``now`` (ISO time; default: the present), each sent once."""
    return {"reviewers": reviewer_reminders(funder, datetime.fromisoformat(now) if now else timezone.now())}


@shared_task
def requeue_stuck_letters(minutes=10):
    """Celery beat: give every funder's decision letters still being prepared to the workers again."""
    return funder_requeue_stuck.for_every_funder(minutes=minutes)


@shared_task(base=FunderTask)
def funder_requeue_stuck(funder, minutes=10):
    """Decision letters still being prepared after ``minutes`` go to the workers again."""
    return {"letters": decision_letters_requeue(older_than=timedelta(minutes=minutes))}
