"""Services for writing an application: start a draft, save answers, files, people."""

from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications import answers as answer_rules
from applications.audit import application_edited
from applications.lifecycle import State
from applications.models import ApplicantProfile, Application, Attachment, Collaborator
from applications.notices import collaborator_invitation, manager_request
from applications.submission import format_deadline, missed_deadline
from calls.answer_forms import plain_text
from calls.models import ApplicationType, Call, Question
from fundportal.models import User, email_address
from fundportal.uploads import check_upload


class EditConflict(Exception):
    """Someone saved the application after this page was loaded."""

    def __init__(self, application):
        self.application = application
        super().__init__(_("This application was changed in another window or by a co-applicant at %(time)s. "
                           "Copy what you wrote, reload the page, and add it again.")
                         % {"time": timezone.localtime(application.updated).strftime("%H:%M")})


def open_period(call, now):
    """The period taking applications at ``now``; an archived call takes none."""
    if call.archived_at:
        return None
    return next((period for period in call.periods.all() if period.is_open(now)), None)


@transaction.atomic
def application_start(*, call: Call, applicant: User, application_type: str, previous: Application | None = None,
                      theme: str = "", now: datetime | None = None) -> Application:
    """A new draft in ``call`` for ``applicant``; a continuation or implementation starts from ``previous``."""
    now = now or timezone.now()
    period = open_period(call, now)
    if period is None:
        raise ValidationError(_("The call is not open for applications right now."))
    if call.themes and theme not in call.themes:
        raise ValidationError(_("Choose one of the call's theme areas."))
    if application_type not in call.application_types:
        raise ValidationError(_("This call does not take that type of application."))
    if application_type != ApplicationType.NEW:
        if previous is None:
            raise ValidationError(_("Choose the earlier application this one continues."))
        if previous.applicant_id != applicant.pk:
            raise ValidationError(_("You can only continue your own applications."))
    answers = _carried_over(previous, call) if previous else {}
    return Application.objects.create(
        funder=call.funder, call=call, period=period, applicant=applicant, application_type=application_type,
        previous=previous, title=previous.title if previous else _("Untitled application"), answers=answers, theme=theme,
    )


def _carried_over(previous, call):
    """Answers of an earlier application to the questions of ``call`` that ask the same thing."""
    old_labels = {str(question.label): answer_rules.key(question)
                  for question in Question.objects.filter(section__call=previous.call)}
    carried = {}
    for question in Question.objects.filter(section__call=call):
        old_key = old_labels.get(str(question.label))
        if old_key and old_key in previous.answers:
            carried[answer_rules.key(question)] = previous.answers[old_key]
    return carried


def _editable(application, section_ids=()):
    if application.state not in State.EDITABLE:
        raise ValidationError(_("A submitted application cannot be changed."))
    missed = locked_by_deadline(application)
    if missed:
        raise ValidationError(missed)
    if not all(application.may_change_section(section_id) for section_id in section_ids):
        raise ValidationError(_("Only the parts the funder asked you to complete can be changed."))


def locked_by_deadline(application):
    """Why a draft or returned application can no longer change because its deadline has passed, or ""."""
    deadline = missed_deadline(application)
    if deadline is None:
        return ""
    if application.state == State.RETURNED:
        return _("The time to complete the application has passed.")
    return _("The deadline was %(deadline)s; the application can no longer be changed or submitted.") % {
        "deadline": format_deadline(deadline, application.funder)}


def _locked(application):
    """The application as stored now, its row locked until the transaction ends: the state to check and to change."""
    return Application.objects.select_for_update(of=("self",)).select_related("funder", "period").get(pk=application.pk)


class AnswersRefused(ValidationError):
    """Answers no draft may keep (e.g. a budget amount too large to store); nothing was saved."""


@transaction.atomic
def application_save_answers(*, application: Application, answers: dict[str, Any], version: int, by: User,
                             title: str | None = None, confidential: dict[str, str] | None = None) -> Application:
    """Store a section's raw answers if nobody saved since ``version``; returns the application."""
    questions = Question.objects.filter(section__call=application.call)
    answers = plain_text(answers)
    title = plain_text(title).strip() if title is not None else None
    refused = answer_rules.number_problems(questions, answers, application.call.currency)
    if refused:
        raise AnswersRefused([message for _question, message in refused])
    current = _locked(application)
    changed = {question.section_id for question in questions if answer_rules.key(question) in answers}
    if title and title != current.title:
        changed.add(current.call.sections.values_list("pk", flat=True).first())  # the title is the first part's
    _editable(current, changed - {None})
    if current.version != version:
        raise EditConflict(current)
    current.answers = {**current.answers, **answers}
    if confidential is not None:
        current.confidential = {**current.confidential, **plain_text(confidential)}
    if title is not None:
        current.title = title[:300] or current.title
    current.amount_requested = answer_rules.amount_requested(questions, current.answers, current.funder)
    current.version += 1
    current.save()
    application_edited(application=current, by=by, change="answers", sections=changed - {None})
    return current


MAX_FILES_PER_QUESTION = 10  # unless the question's settings say ``max_files``
INVITATIONS_PER_HOUR = 10


@transaction.atomic
def attachment_add(*, application: Application, question: Question, upload: UploadedFile, by: User,
                   confidential_reason: str = "") -> Attachment:
    """Check an uploaded file's size and real type before it is stored; then store it under a generated name."""
    application = _locked(application)
    _editable(application, {question.section_id})
    limit = (question.settings or {}).get("max_files") or MAX_FILES_PER_QUESTION
    if application.attachments.filter(question=question).count() >= limit:
        raise ValidationError(ngettext("At most %(limit)d file can be added here; remove one first.",
                                       "At most %(limit)d files can be added here; remove one first.", limit)
                              % {"limit": limit})
    content_type = check_upload(upload, question.settings or {})
    attachment = Attachment.objects.create(
        funder=application.funder, application=application, question=question, file=upload,
        original_name=plain_text(upload.name)[:255], content_type=content_type, size=upload.size,
        confidential_reason=plain_text(confidential_reason).strip(), uploaded_by=by,
    )
    application_edited(application=application, by=by, change="file_added", sections={question.section_id})
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by: User) -> None:
    application = _locked(attachment.application)
    _editable(application, {attachment.question.section_id})
    attachment.file.delete(save=False)
    attachment.delete()
    application_edited(application=application, by=by, change="file_removed", sections={attachment.question.section_id})


def _manages_people(application, by):
    if application.applicant_id != by.pk:
        raise ValidationError(_("Only the main applicant can invite and remove co-applicants."))


def _count_invitation(application):
    """Count one invitation against the application's hourly allowance; refuse beyond it."""
    counter = f"invitations:{application.funder_id}:{application.pk}"
    cache.add(counter, 0, timeout=3600)
    if cache.incr(counter) > INVITATIONS_PER_HOUR:
        raise ValidationError(_("You have sent many invitations within the hour; try again later."))


def collaborator_invite(*, application: Application, email: str, access: str, by: User) -> Collaborator:
    _manages_people(application, by)
    email = email_address(email)
    if email == application.applicant.email.lower():
        raise ValidationError(_("You are already the main applicant."))
    _count_invitation(application)
    collaborator, created = Collaborator.objects.get_or_create(
        funder=application.funder, application=application, email=email, defaults={"access": access})
    if not created:
        collaborator.access = access
        collaborator.save(update_fields=["access"])
    collaborator_invitation(collaborator)
    return collaborator


def collaborator_remove(*, collaborator: Collaborator, by: User) -> None:
    _manages_people(collaborator.application, by)
    collaborator.delete()


def manager_request_approval(*, application: Application, name: str, email: str, by: User) -> Application:
    """Name the applicant's manager and email them a link to approve or decline (no account needed).

    The manager is someone other than the people on the application. Each request makes the links of earlier ones
    invalid; a manager who has approved already is not asked again."""
    _editable(application)
    email = email_address(email)
    _refuse_own_address(application, email)
    if email == application.manager_email and application.manager_approved:
        raise ValidationError(_("%(email)s has approved the application already.") % {"email": email})
    application.manager_name, application.manager_email = name.strip(), email
    application.manager_decision = Application.ManagerDecision.PENDING
    application.manager_comment, application.manager_decided_at = "", None
    application.manager_asked_at = timezone.now()
    application.save(update_fields=["manager_name", "manager_email", "manager_decision", "manager_comment",
                                    "manager_decided_at", "manager_asked_at", "updated"])
    manager_request(application)
    return application


def _refuse_own_address(application, email):
    """No one on the application approves it as their own manager."""
    own = {application.applicant.email.lower(), *(address.lower() for address in
                                                  application.collaborators.values_list("email", flat=True))}
    if email in own:
        raise ValidationError(_("The manager must be someone other than the applicant and the co-applicants."))


def manager_answerable(application):
    """Why the manager can no longer answer by the link (the answer is given, or the application is no longer being
    written), or ""."""
    if application.manager_decision in (Application.ManagerDecision.APPROVED, Application.ManagerDecision.DECLINED):
        return _("The manager has answered already.")
    if application.manager_decision != Application.ManagerDecision.PENDING:
        return _("No approval was asked for.")
    if application.state not in State.EDITABLE:
        return _("The application is no longer being written, so the manager's answer can no longer be recorded.")
    return ""


@transaction.atomic
def manager_decide(*, application: Application, approve: bool, comment: str) -> Application:
    """The manager's answer, given once, while the application is a draft or returned for completion."""
    current = _locked(application)
    refusal = manager_answerable(current)
    if refusal:
        raise ValidationError(refusal)
    _refuse_own_address(current, current.manager_email)
    current.manager_decision = (Application.ManagerDecision.APPROVED if approve
                                else Application.ManagerDecision.DECLINED)
    current.manager_comment = comment.strip()
    current.manager_decided_at = timezone.now()
    current.save(update_fields=["manager_decision", "manager_comment", "manager_decided_at", "updated"])
    return current


def profile_save(*, user: User, profile: ApplicantProfile, first_name: str, last_name: str,
                 wants_reminders: bool = True) -> ApplicantProfile:
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.wants_reminders = wants_reminders
    user.save(update_fields=["first_name", "last_name", "wants_reminders"])
    profile.user = user
    profile.save()
    return profile
