"""Services for submitting: the deadline, the checks, the case number, the snapshot and the receipt; and
withdrawing, a later deadline for one draft, a return for completion.

The case number is counted under a row lock held until the submission commits (so numbers have no gap): every
submission to one fund in a year waits for the one before it, so the lock is held only for the few writes after it.
The receipt, whose PDF takes far longer, is rendered by a task once the submission is stored (manage.py
deadline_spike measures the rush before a deadline).
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import answers as answer_rules
from applications import notices
from applications.lifecycle import TRANSITIONS_BY_ACTION, State
from applications.models import Application, CaseCounter, Revision
from applications.services import application_transition
from applications.tasks import send_receipt
from calls.models import Question
from fundportal.models import User
from fundportal.templatetags.portal import when


class SubmissionRefused(ValidationError):
    """Why an application cannot be submitted now; the draft is untouched."""


def deadline_of(application):
    """The moment submissions close for this applicant: the period's end, or their extension."""
    closes = application.period.closes_at if application.period else None
    if application.state == State.RETURNED and application.completion_due:
        return application.completion_due
    if application.extension_until and (closes is None or application.extension_until > closes):
        return application.extension_until
    return closes


def missed_deadline(application, now=None):
    """The deadline once it has passed (then nothing can be changed or submitted), else None."""
    deadline = deadline_of(application)
    return deadline if deadline and (now or timezone.now()) >= deadline else None


def format_deadline(moment, funder):
    return f"{when(moment)} ({funder.time_zone})"


def submission_transition(application):
    """The move that sends ``application`` in: the first submission, or the completed one after a return."""
    return TRANSITIONS_BY_ACTION["resubmit" if application.state == State.RETURNED else "submit"]


def submission_problems(application):
    """Everything that stops a submission: [(question or None, message)]."""
    questions = list(Question.objects.filter(section__call=application.call).select_related("section"))
    counts = {}
    for attachment in application.attachments.all():
        counts[attachment.question_id] = counts.get(attachment.question_id, 0) + 1
    found = answer_rules.problems(questions, application.answers, counts, application.call.currency)
    if application.call.requires_manager_approval and not application.manager_approved:
        found.append((None, _("Your manager has not approved the application yet.")))
    return found


def next_case_number(application):
    """E.g. RS-IF-2024-0042: funder, fund, year of submission, a number counted per funder, fund and year."""
    parts = [application.funder.short_name, application.call.fund.code, str(timezone.localdate().year)]
    prefix = "-".join(part for part in parts if part)
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(funder=application.funder, prefix=prefix)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{counter.last:04d}"


@transaction.atomic
def application_submit(*, application: Application, by: User, now: datetime | None = None) -> Application:
    """Submit (or resubmit after completion) before the deadline, with every required answer in place."""
    now = now or timezone.now()
    application = Application.objects.select_for_update(of=("self",)).select_related("call__fund", "funder", "period").get(pk=application.pk)
    deadline = missed_deadline(application, now)
    if deadline:
        raise SubmissionRefused(_("The deadline was %(deadline)s; the application can no longer be submitted. "
                                  "Your draft is kept.") % {"deadline": format_deadline(deadline, application.funder)})
    problems = submission_problems(application)
    if problems:
        raise SubmissionRefused([message for _question, message in problems])
    application = application_transition(application=application, action=submission_transition(application).action, by=by)
    if not application.case_number:
        application.case_number = next_case_number(application)
    application.submitted_at = now
    application.save(update_fields=["case_number", "submitted_at"])
    number = application.revisions.count() + 1
    revision = Revision.objects.create(funder=application.funder, application=application, number=number,
                                       title=application.title, answers=application.answers, by=by)
    send_receipt.enqueue(application.funder, application_id=application.pk, revision=revision.number)
    return application


def application_withdraw(*, application: Application, by: User, comment: str = "") -> Application:
    return application_transition(application=application, action="withdraw", by=by, comment=comment)


def application_extend(*, application: Application, until: datetime) -> Application:
    """Give one applicant a later deadline for their draft; only the new deadline is kept, not who gave it."""
    if application.state != State.DRAFT:
        raise ValidationError(_("Only a draft can get a later deadline; a returned application has its own due date."))
    if application.period and until <= application.period.closes_at:
        raise ValidationError(_("An extension must end after the period closes."))
    application.extension_until = until
    application.save(update_fields=["extension_until", "updated"])
    return application


def application_return_for_completion(*, application: Application, by: User, comment: str, due: datetime,
                                      sections: Iterable[int] = ()) -> Application:
    """Send a submitted application back to the applicant to complete by ``due``: the ``sections`` named (ids of the
    call's form sections), or the whole application when none is named; ``comment`` says what is missing."""
    if not comment.strip():
        raise ValidationError(_("Say what the applicant must complete."))
    if due <= timezone.now():
        raise ValidationError(_("The completion date must be in the future."))
    known = set(application.call.sections.values_list("pk", flat=True))
    if not set(sections) <= known:
        raise ValidationError(_("Choose parts of this call's form."))
    application = application_transition(application=application, action="return_for_completion", by=by, comment=comment)
    application.completion_due = due
    application.completion_sections = sorted(sections)
    application.save(update_fields=["completion_due", "completion_sections", "updated"])
    notices.completion_request(application, comment)
    return application
