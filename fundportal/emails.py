"""The portal's emails: each kind has a standard wording in every language, which a funder may reword.

A kind names the placeholders its text may use. A funder's own wording for a
kind and language (``EmailTemplate``) replaces the standard one; the footer —
why the person gets the email and how to stop it — is the portal's and is
always added, so no funder can drop an unsubscribe or settings link.
"""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fundportal.models import EmailTemplate, Funder, OutboxEmail, User
from fundportal.outbox import email_queue
from fundportal.wording import fill, validate_placeholders, wording_of

PLACEHOLDERS = {
    "funder": _("the funder's name"),
    "call": _("the call's title"),
    "applicant": _("the main applicant's name"),
    "project": _("the project title"),
    "case_number": _("the case number"),
    "url": _("the link to open (application, review or call)"),
    "deadline": _("the deadline, in the funder's time zone"),
    "due": _("the date it is due"),
    "comment": _("the administrator's comment"),
    "manager": _("the manager's name"),
    "link_days": _("how many days the link works"),
    "access": _("what the co-applicant may do (read or edit)"),
    "email": _("the recipient's email address"),
    "decision_announced": _("when the decision is announced, as a sentence (may be empty)"),
    "due_note": _("by when the review is due, as a sentence (may be empty)"),
    "role": _("the role given, e.g. panel member"),
    "parts": _("which parts of the form are to be completed, as a sentence (may be empty: the whole application)"),
}

SAMPLE = {
    "funder": "Region Stockholm", "call": "Innovationsfonden 2026", "applicant": "Sofia Ekström",
    "project": "Digitalt stöd för egenvård vid hjärtsvikt", "case_number": "RS-IF-2026-0007",
    "url": "https://fundportal.example/region-stockholm/applications/7/", "deadline": "2026-03-15 23:59",
    "due": "2026-04-20", "comment": "Bifoga budgeten per år.", "manager": "Anders Lind", "link_days": 30,
    "access": "Du får redigera ansökan.", "email": "sofia@example.se",
    "decision_announced": "Beslutet meddelas senast vecka 16.", "due_note": "Lämna din bedömning senast 2026-04-20.",
    "role": "Ledamot i expertpanelen", "parts": "Delar att komplettera: Budget, Bilagor.",
}

APPLICATION = ("funder", "call", "applicant", "project", "case_number", "url")

REMINDER_FOOTER = _("You get reminders like this one until you turn them off in your profile: {settings_url}")
SUBSCRIBER_FOOTER = _("You get this email because you subscribed to news of calls.\nStop these emails: {unsubscribe_url}")


@dataclass(frozen=True)
class Kind:
    label: str
    subject: str
    body: str
    placeholders: tuple = APPLICATION
    footer: str = ""


KINDS = {
    "staff_invitation": Kind(
        _("A role given to a person (pre-screener, panel member, …)"),
        _("{funder} has given you a role in FundPortal"),
        _("{funder} has given you the role: {role}.\n\nOpen FundPortal here (if you are new, the link lets you choose "
          "a password; it works for three days, after that use “Forgot your password?”):\n{url}"),
        ("funder", "role", "url")),
    "receipt": Kind(
        _("Receipt of a submitted application"),
        _("We have received your application {case_number}"),
        _("Thank you. {funder} has received your application “{project}”. Its case number is {case_number}.\n\n"
          "The application as you submitted it is attached as a PDF.\nFollow its progress here: {url}")),
    "invitation": Kind(
        _("Invitation of a co-applicant"),
        _("{applicant} invites you to the application “{project}”"),
        _("{applicant} has invited you as a co-applicant on “{project}”, an application to {funder}.\n{access}\n\n"
          "Sign in or create an account with {email} to open it: {url}"),
        APPLICATION + ("access", "email")),
    "manager_request": Kind(
        _("Manager approval request"),
        _("Please approve the application of {applicant}"),
        _("Hello {manager},\n\n{applicant} is applying to {funder} for the project “{project}” and has named you as "
          "their manager. The funder asks you to approve that the project may run and that its results will be taken "
          "care of in your organisation.\n\nApprove or decline here (no account needed):\n{url}\n\n"
          "The link works for {link_days} days."),
        APPLICATION + ("manager", "link_days")),
    "manager_reminder": Kind(
        _("Reminder to a manager who has not answered"),
        _("Reminder: please approve the application of {applicant}"),
        _("Hello {manager},\n\n{applicant} is waiting for your approval of the application “{project}” to {funder}.\n\n"
          "Approve or decline here (no account needed):\n{url}\n\nThe link works for {link_days} days."),
        APPLICATION + ("manager", "link_days")),
    "completion_request": Kind(
        _("Request to complete an application"),
        _("Please complete your application {case_number}"),
        _("{funder} asks you to complete your application “{project}”:\n\n{comment}\n\n{parts}\n"
          "You can edit the application and send it in again until {due}.\n{url}"),
        APPLICATION + ("comment", "due", "parts")),
    "completion_reminder": Kind(
        _("Reminder: completion due tomorrow"),
        _("Reminder: complete {case_number} by tomorrow"),
        _("The completion of your application is due {due}. After that it can no longer be changed.\n\n{url}"),
        APPLICATION + ("due",), REMINDER_FOOTER),
    "draft_reminder": Kind(
        _("Reminder: a draft before the deadline"),
        _("Reminder: “{project}” is not submitted yet"),
        _("Your application “{project}” is still a draft. The deadline is {deadline}.\n\n"
          "Finish and submit it here: {url}\n\n"
          "The reminders stop when you submit or withdraw the draft."),
        APPLICATION + ("deadline",), REMINDER_FOOTER),
    "period_closed": Kind(
        _("Receipt when the application period closes"),
        _("The application period has closed — {case_number} is registered"),
        _("The application period has closed. Your application “{project}” is registered as {case_number} and will now "
          "be assessed.\n{decision_announced}\n\n{url}"),
        APPLICATION + ("decision_announced",)),
    "assignment": Kind(
        _("New review assignment"),
        _("An application to review in {call}"),
        _("{funder} asks you to review application {case_number}.\n{due_note}\n\n"
          "Before you see the application you will be asked to declare whether you have a conflict of interest.\n{url}"),
        APPLICATION + ("due_note",)),
    "review_due": Kind(
        _("Reminder: review due tomorrow"),
        _("Your review of {case_number} is due tomorrow"),
        _("Your review of application {case_number} is due on {due}.\n\nOpen the assignment: {url}"),
        APPLICATION + ("due",), REMINDER_FOOTER),
    "review_late": Kind(
        _("Reminder: review late"),
        _("Your review of {case_number} is late"),
        _("The review of application {case_number} was due on {due}.\n\nOpen the assignment: {url}"),
        APPLICATION + ("due",), REMINDER_FOOTER),
    "call_published": Kind(
        pgettext_lazy("email kind", "New call published"),
        _("New call from {funder}: {call}"),
        _("{funder} has published a new call:\n\n{call}\n{url}"),
        ("funder", "call", "url"), SUBSCRIBER_FOOTER),
    "subscription_confirm": Kind(
        _("Confirmation of a subscription to news of calls"),
        _("Confirm that you want news of calls from {funder}"),
        _("Someone — hopefully you — asked to be told by email when {funder} publishes a new call.\n\n"
          "To confirm, open this link:\n{url}\n\nIf it was not you, ignore this email: nothing more will be sent."),
        ("funder", "url"), _("Stop these emails: {unsubscribe_url}")),
}


def wording(*, kind, language):
    """(subject, body, the funder's own stored wording or None) for ``kind`` in ``language``."""
    return wording_of(EmailTemplate, language=language, standard=(KINDS[kind].subject, KINDS[kind].body), kind=kind)


def email_compose(*, funder: Funder, kind: str, language: str, values: dict[str, Any],
                  text: tuple[str, str] | None = None) -> tuple[str, str]:
    """(subject, plain-text body) of a ``kind`` email in ``language``, with the portal's footer.

    ``text`` is a (subject, body) pair to use instead of the stored wording, for previews.
    """
    subject, body = text or wording(kind=kind, language=language)[:2]
    footer = KINDS[kind].footer
    with translation.override(language), timezone.override(funder.time_zone):
        plain = fill(body, values).strip() + "\n"
        if footer:
            plain += "\n—\n" + fill(str(footer), values) + "\n"
        return " ".join(fill(subject, values).split()), plain


def email_preview(*, funder: Funder, kind: str, language: str, subject: str, body: str) -> tuple[str, str]:
    """The email as a recipient would read it, filled with sample values."""
    links = {"settings_url": "https://fundportal.example/my/profile/#id_wants_reminders",
             "unsubscribe_url": "https://fundportal.example/unsubscribe/…"}
    return email_compose(funder=funder, kind=kind, language=language, values={**SAMPLE, **links},
                         text=(subject, body))


def email_test_send(*, funder: Funder, kind: str, language: str, recipient: str) -> OutboxEmail:
    """Send the saved wording of ``kind``, filled with sample values, to ``recipient`` (the administrator)."""
    subject, body, _own = wording(kind=kind, language=language)
    subject, text = email_preview(funder=funder, kind=kind, language=language, subject=subject, body=body)
    with translation.override(language):
        return email_queue(funder=funder, recipient=recipient, subject=subject, body=text, kind="test",
                           occasion=f"test:{kind}:{language}:{recipient}:{timezone.now().isoformat()}")


def email_send(*, funder: Funder, kind: str, recipient: str, language: str, occasion: str, values: dict[str, Any],
               attachment: tuple[str, bytes] | None = None) -> OutboxEmail:
    """Compose a ``kind`` email in the recipient's language and queue it in the outbox (once per occasion)."""
    language = language or funder.default_language
    subject, body = email_compose(funder=funder, kind=kind, language=language, values=values)
    with translation.override(language):
        return email_queue(funder=funder, recipient=recipient, subject=subject, body=body, kind=kind, occasion=occasion,
                           attachment=attachment)


def email_template_save(*, funder: Funder, kind: str, language: str, subject: str, body: str,
                        by: User | None = None) -> EmailTemplate:
    """Store the funder's wording of ``kind`` in ``language`` once every placeholder is one the kind knows."""
    allowed = KINDS[kind].placeholders
    validate_placeholders(subject, allowed)
    validate_placeholders(body, allowed)
    template, _created = EmailTemplate.objects.update_or_create(
        funder=funder, kind=kind, language=language, defaults={"subject": subject.strip(), "body": body, "updated_by": by})
    return template


def email_template_reset(*, funder: Funder, kind: str, language: str) -> None:
    """Go back to the standard wording."""
    EmailTemplate.objects.filter(funder=funder, kind=kind, language=language).delete()
