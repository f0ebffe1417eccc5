"""Writes that belong to the portal as a whole: memberships and the email outbox."""

from fundportal.models import Membership, OutboxEmail


def email_queue(*, funder, recipient, subject, body, kind, occasion, html="", attachment=None):
    """Store an email for ``occasion`` (once) and queue its sending after commit.

    ``attachment`` is an optional (file name, PDF bytes) pair, stored with the
    email. Returns the outbox row; asking again for the same occasion returns
    the first row and queues nothing.
    """
    from django.core.files.base import ContentFile

    from fundportal.tasks import send_outbox_email

    email, created = OutboxEmail.objects.get_or_create(
        funder=funder,
        occasion=occasion,
        defaults={"recipient": recipient, "subject": subject, "body": body, "html": html, "kind": kind},
    )
    if created and attachment:
        name, content = attachment
        email.attachment_name = name
        email.attachment.save(name, ContentFile(content), save=False)
        email.save(update_fields=["attachment", "attachment_name"])
    if created:
        send_outbox_email.enqueue(funder, email_id=email.pk)
    return email


def membership_grant(*, funder, user, role):
    membership, _created = Membership.objects.get_or_create(funder=funder, user=user, role=role)
    return membership


def membership_set_expertise(*, membership, themes):
    """The theme areas a panel member knows; automatic assignment prefers them for applications of those themes."""
    membership.expertise = sorted(set(themes))
    membership.save(update_fields=["expertise"])
    return membership
