"""Writes to the email outbox: every email is stored here first, then handed to a worker to send."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from fundportal.models import Funder, OutboxEmail
from fundportal.tasks import send_outbox_email


def email_html(*, funder: Funder, subject: str, body: str) -> str:
    """The funder's HTML layout around a plain-text body (the text part is sent too)."""
    return render_to_string("emails/layout.html", {"funder": funder, "subject": subject, "body": body})


def email_queue(*, funder: Funder, recipient: str, subject: str, body: str, kind: str, occasion: str,
                html: str | None = None, attachment: tuple[str, bytes] | None = None, draft: bool = False,
                batch: str = "") -> OutboxEmail:
    """Store an email for ``occasion`` (once) and queue its sending after commit.

    ``attachment`` is an optional (file name, PDF bytes) pair, stored with the
    email. A ``draft`` waits in the outbox until ``outbox_send``. Returns the
    outbox row; asking again for the same occasion returns the first row and
    queues nothing.
    """
    if html is None:
        html = email_html(funder=funder, subject=subject, body=body)
    email, created = OutboxEmail.objects.get_or_create(
        funder=funder,
        occasion=occasion,
        defaults={"recipient": recipient, "subject": subject, "body": body, "html": html, "kind": kind, "batch": batch,
                  "status": OutboxEmail.Status.DRAFT if draft else OutboxEmail.Status.PENDING},
    )
    if created and attachment:
        name, content = attachment
        email.attachment_name = name
        email.attachment.save(name, ContentFile(content), save=False)
        email.save(update_fields=["attachment", "attachment_name"])
    if created and not draft:
        send_outbox_email.enqueue(funder, email_id=email.pk)
    return email


def outbox_send(*, emails: Iterable[OutboxEmail]) -> int:
    """Send drafts (and retry failed emails): each becomes pending and is handed to a Celery task; returns how many."""
    sendable = [email for email in emails if email.may_be_sent]
    OutboxEmail.objects.filter(pk__in=[email.pk for email in sendable]).update(status=OutboxEmail.Status.PENDING)
    for email in sendable:
        send_outbox_email.enqueue(email.funder, email_id=email.pk)
    return len(sendable)


def _outbox_move(email, *, from_status, to_status, refusal):
    if email.status != from_status:
        raise ValidationError(refusal)
    email.status = to_status
    email.save(update_fields=["status"])
    return email


def outbox_withhold(*, email: OutboxEmail) -> OutboxEmail:
    """Keep a draft from being sent (e.g. to an applicant told by phone); ``outbox_restore`` undoes it."""
    return _outbox_move(email, from_status=OutboxEmail.Status.DRAFT, to_status=OutboxEmail.Status.WITHHELD,
                        refusal=_("Only a draft can be withheld."))


def outbox_restore(*, email: OutboxEmail) -> OutboxEmail:
    """A withheld email becomes a draft again, to be checked and sent."""
    return _outbox_move(email, from_status=OutboxEmail.Status.WITHHELD, to_status=OutboxEmail.Status.DRAFT,
                        refusal=_("Only a withheld email can become a draft again."))


def outbox_edit(*, email: OutboxEmail, subject: str, body: str) -> OutboxEmail:
    if email.status != OutboxEmail.Status.DRAFT:
        raise ValidationError(_("Only a draft can be changed; this email is already on its way."))
    email.subject, email.body = subject.strip(), body
    email.html = email_html(funder=email.funder, subject=email.subject, body=body)
    email.save(update_fields=["subject", "body", "html"])
    return email
