"""The local mailbox: an email backend that delivers into the database.

Used when no SMTP server is configured (development, demo, tests), so a demo
user can read what the portal sent them at /mailbox/.
"""

from allauth.account.models import EmailAddress
from django.core.mail.backends.base import BaseEmailBackend

from fundportal.models import LocalMail


def describe_attachment(attachment):
    if isinstance(attachment, tuple):
        filename, content, mimetype = attachment
        return {"filename": filename, "mimetype": mimetype, "size": len(content)}
    return {"filename": attachment.get_filename() or "", "mimetype": attachment.get_content_type(), "size": None}


class LocalMailboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        delivered = 0
        for message in email_messages:
            html = next((body for body, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), "")
            attachments = [describe_attachment(attachment) for attachment in message.attachments]
            LocalMail.objects.bulk_create(
                LocalMail(
                    recipient=recipient.lower(),
                    sender=message.from_email,
                    subject=message.subject,
                    body=message.body,
                    html=html,
                    attachments=attachments,
                )
                for recipient in message.recipients()
            )
            delivered += 1
        return delivered


NEW_ACCOUNT = "mailbox_new_account"  # the session key: which just-signed-up account this browser may read mail of


def remember_new_account(sender, request, confirmation, **kwargs):
    """allauth sent a confirmation: this browser may read that address's mail until it is verified (development)."""
    address = confirmation.email_address
    request.session[NEW_ACCOUNT] = {"email": address.email.lower(), "user": address.user_id}


def new_account_address(request):
    """The unverified address this browser signed up (or signed in) with, or None: once verified, sign in instead."""
    remembered = request.session.get(NEW_ACCOUNT)
    if not remembered:
        return None
    return EmailAddress.objects.filter(email__iexact=remembered["email"], user_id=remembered["user"],
                                       verified=False).select_related("user").first()


def new_account_mail(address):
    """The mail delivered to ``address`` since its account was made: nothing anyone else was sent before."""
    return LocalMail.objects.filter(recipient=address.email.lower(), sent__gte=address.user.date_joined)
