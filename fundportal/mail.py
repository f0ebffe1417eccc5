"""The local mailbox: an email backend that delivers into the database.

Used when no SMTP server is configured (development, demo, tests), so a demo
user can read what the portal sent them at /mailbox/.
"""

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
