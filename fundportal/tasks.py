"""Celery tasks re-enter their funder's scope, loaded by id.

A task that touches funder data is declared with ``base=FunderTask``; it is
queued with ``task.enqueue(funder, ...)`` and runs as ``task(funder, ...)``
inside ``scope(funder=funder)``. Queued without a funder, it fails at once. A periodic
task (in an app's tasks.py, named in settings.CELERY_BEAT_SCHEDULE) queues itself for
every funder with ``task.for_every_funder()``.

The core's own work: sending an outbox email, and handing emails a dead worker left
behind to the workers again.
"""

import logging
import smtplib
from datetime import timedelta

from celery import Task, shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from fundportal.links import personal_links_filled
from fundportal.models import Funder, OutboxEmail
from fundportal.tenancy import scope, scopes_disabled

logger = logging.getLogger(__name__)


class FunderTask(Task):
    typing = False  # callers pass funder_id, the task body receives the Funder

    def __call__(self, *args, funder_id, **kwargs):
        with scopes_disabled():
            funder = Funder.objects.get(pk=funder_id)
        with scope(funder=funder):
            return self.run(funder, *args, **kwargs)

    def enqueue(self, funder, **kwargs):
        """Queue this task for ``funder`` once the current transaction commits."""
        transaction.on_commit(lambda: self.apply_async(kwargs={"funder_id": funder.pk, **kwargs}))

    def for_every_funder(self, **kwargs):
        """Queue this task once for every active funder, each run in its own funder's scope (what a beat task does).
        Returns how many were queued."""
        with scopes_disabled():
            funder_ids = list(Funder.objects.filter(is_active=True).values_list("pk", flat=True))
        for funder_id in funder_ids:
            self.apply_async(kwargs={"funder_id": funder_id, **kwargs})
        return len(funder_ids)


@shared_task(
    base=FunderTask,
    bind=False,
    autoretry_for=(smtplib.SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=6,
)
def send_outbox_email(funder, email_id):
    """Send one stored outbox email, once. Returns its status for the caller's log.

    A failure is stored on the email (status, attempts, error) before the error is raised again for Celery to
    retry with backoff, so the outbox shows it meanwhile; a later attempt that succeeds marks it sent. Personal links
    are made now, into the message only (see ``fundportal.links``): the stored email keeps its stand-ins.
    """
    failure = None
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            logger.warning("Outbox email %s is not %s's; nothing sent.", email_id, funder.slug)
            return "missing"
        if email.status == OutboxEmail.Status.SENT:
            return "already sent"
        if email.status in (OutboxEmail.Status.DRAFT, OutboxEmail.Status.PREPARING, OutboxEmail.Status.WITHHELD):
            return "not ready"
        email.attempts += 1
        body, html = personal_links_filled(funder=funder, recipient=email.recipient, body=email.body, html=email.html)
        message = EmailMultiAlternatives(email.subject, body, to=[email.recipient])
        if html:
            message.attach_alternative(html, "text/html")
        if email.attachment:
            with email.attachment.open("rb") as attached:
                message.attach(email.attachment_name, attached.read(), "application/pdf")
        try:
            message.send()
        except (smtplib.SMTPException, ConnectionError) as error:
            email.status, email.last_error, failure = OutboxEmail.Status.FAILED, str(error)[:1000], error
            email.save(update_fields=["attempts", "status", "last_error"])
        else:
            email.status, email.sent_at = OutboxEmail.Status.SENT, timezone.now()
            email.save(update_fields=["attempts", "status", "sent_at"])
    if failure is not None:
        raise failure  # stored above; Celery retries with backoff
    return "sent"


def outbox_requeue_stuck(*, funder: Funder, older_than: timedelta) -> int:
    """Hand emails still pending after ``older_than`` to Celery again (e.g. after a worker died mid-batch).

    Sending is idempotent: a task that finds its email already sent does nothing, so nothing goes out twice.
    """
    stuck = list(OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, created__lte=timezone.now() - older_than))
    for email in stuck:
        send_outbox_email.enqueue(funder, email_id=email.pk)
    return len(stuck)


@shared_task
def requeue_stuck_emails(minutes=10):
    """Celery beat: give every funder's long-pending emails to the workers again."""
    return funder_requeue_stuck.for_every_funder(minutes=minutes)


@shared_task(base=FunderTask)
def funder_requeue_stuck(funder, minutes=10):
    """Emails still waiting to be sent go to the workers again."""
    return {"emails": outbox_requeue_stuck(funder=funder, older_than=timedelta(minutes=minutes))}
