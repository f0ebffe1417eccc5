"""Writes that belong to the portal as a whole: memberships and the email outbox."""

from fundportal.models import Membership, OutboxEmail


def email_html(*, funder, subject, body):
    """The funder's HTML layout around a plain-text body (the text part is sent too)."""
    from django.template.loader import render_to_string

    return render_to_string("emails/layout.html", {"funder": funder, "subject": subject, "body": body})


def email_queue(*, funder, recipient, subject, body, kind, occasion, html=None, attachment=None, draft=False, batch=""):
    """Store an email for ``occasion`` (once) and queue its sending after commit.

    ``attachment`` is an optional (file name, PDF bytes) pair, stored with the
    email. A ``draft`` waits in the outbox until ``outbox_send``. Returns the
    outbox row; asking again for the same occasion returns the first row and
    queues nothing.
    """
    from django.core.files.base import ContentFile

    from fundportal.tasks import send_outbox_email

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


def outbox_send(*, emails):
    """Send drafts (and retry failed emails): each becomes pending and is handed to a Celery task."""
    from fundportal.tasks import send_outbox_email

    sendable = [email for email in emails if email.status in (OutboxEmail.Status.DRAFT, OutboxEmail.Status.FAILED)]
    OutboxEmail.objects.filter(pk__in=[email.pk for email in sendable]).update(status=OutboxEmail.Status.PENDING)
    for email in sendable:
        send_outbox_email.enqueue(email.funder, email_id=email.pk)
    return len(sendable)


def outbox_edit(*, email, subject, body):
    if email.status != OutboxEmail.Status.DRAFT:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError(_("Only a draft can be changed; this email is already on its way."))
    email.subject, email.body = subject.strip(), body
    email.html = email_html(funder=email.funder, subject=email.subject, body=body)
    email.save(update_fields=["subject", "body", "html"])
    return email


def funder_letter_settings_save(*, funder, justification, signature, distribution):
    """What every decision letter of ``funder`` carries besides its wording."""
    if justification not in funder.Justification.values:
        from django.core.exceptions import ValidationError

        raise ValidationError({"letter_justification": "Unknown choice."})
    funder.letter_justification, funder.letter_signature = justification, signature.strip()
    funder.letter_distribution = distribution.strip()
    funder.save(update_fields=["letter_justification", "letter_signature", "letter_distribution"])
    return funder


def membership_grant(*, funder, user, role):
    membership, _created = Membership.objects.get_or_create(funder=funder, user=user, role=role)
    return membership


def membership_set_expertise(*, membership, themes):
    """The theme areas a panel member knows; automatic assignment prefers them for applications of those themes."""
    membership.expertise = sorted(set(themes))
    membership.save(update_fields=["expertise"])
    return membership


def outbox_requeue_stuck(*, funder, older_than):
    """Hand emails still pending after ``older_than`` to Celery again (e.g. after a worker died mid-batch).

    Sending is idempotent: a task that finds its email already sent does nothing, so nothing goes out twice.
    """
    from django.utils import timezone

    from fundportal.tasks import send_outbox_email

    stuck = list(OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, created__lte=timezone.now() - older_than))
    for email in stuck:
        send_outbox_email.enqueue(funder, email_id=email.pk)
    return len(stuck)
