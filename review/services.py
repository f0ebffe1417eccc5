"""Writes of the assessment: pre-screening, panel assignments and reviews."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.lifecycle import State
from applications.models import Application
from applications.services import application_transition
from applications.submission import application_return_for_completion
from fundportal.models import Membership, User
from review.audit import impartiality_declared, reviewer_assigned
from review.decisions import decision_record_at_screening
from calls.models import Criterion, Stage
from review.models import Assignment, Decision, Review, ReviewTally, Screening, weighted_score
from review.notices import assignment_notice

# Each outcome of a screening and the lifecycle move it makes (after "start_review", if the screening starts it).
SCREENING_OUTCOMES = {"pass": "advance", "screen_out": "screen_out", "return": "return_for_completion",
                      "preliminary": "mark_preliminary"}


def screening_save(*, application: Application, by: User, results: dict[str, tuple[str, str]]) -> Screening:
    """Store the checklist results: {item id: (result, comment)} for the call's own items only."""
    known = {str(item.pk) for item in application.call.checklist.all()}
    unknown = set(results) - known
    if unknown:
        raise ValidationError(_("Unknown checklist items: %(items)s") % {"items": ", ".join(sorted(unknown))})
    screening, _created = Screening.objects.get_or_create(funder=application.funder, application=application)
    screening.results = {item: {"result": result, "comment": comment} for item, (result, comment) in results.items()}
    screening.screener = by
    screening.save()
    return screening


@transaction.atomic
def screening_decide(*, application: Application, by: User, outcome: str, reason: str = "",
                     due: datetime | None = None, sections: Iterable[int] = ()) -> Application:
    """The screening's outcome: pass to the next stage, screen out (reason), return for completion (reason, due date,
    optionally the parts to complete)
    or — where the call's pipeline allows it, as at StimuLab — keep as preliminary for a later round."""
    if outcome not in SCREENING_OUTCOMES:
        raise ValidationError(_("Choose an outcome."))
    if application.state == State.SUBMITTED:
        application = application_transition(application=application, action="start_review", by=by)
    if outcome == "pass":
        return application_transition(application=application, action=SCREENING_OUTCOMES[outcome], by=by)
    if not reason.strip():
        raise ValidationError(_("Give the reason; the applicant will read it."))
    if outcome == "return":
        if due is None:
            raise ValidationError(_("Give the date the completion is due."))
        return application_return_for_completion(application=application, by=by, comment=reason, due=due,
                                                 sections=sections)
    application = application_transition(application=application, action=SCREENING_OUTCOMES[outcome], by=by,
                                         comment=reason)
    decision_record_at_screening(application=application, by=by, reason=reason, outcome=(
        Decision.Outcome.DECLINED if outcome == "screen_out" else Decision.Outcome.PRELIMINARY))
    return application


def _panel_members():
    return list(Membership.objects.panel_by_email())


def _tally_again(application_ids: Iterable[int]) -> None:
    """Compute the tallies of the applications ``application_ids`` again (``ReviewTally.refresh``), in the
    transaction of the write that changed them: one statement for each call they are in."""
    by_call, criteria = defaultdict(list), defaultdict(list)
    for pk, call_id in Application.objects.filter(pk__in=application_ids).values_list("pk", "call_id"):
        by_call[call_id].append(pk)
    for criterion in Criterion.objects.filter(call_id__in=by_call):
        criteria[criterion.call_id].append(criterion)
    for call_id, pks in by_call.items():
        ReviewTally.objects.refresh(Application.objects.filter(pk__in=pks), criteria[call_id])


@transaction.atomic
def assignment_create(*, application: Application, reviewer: User, by: User, due: date | None = None) -> Assignment:
    stage = application.current_stage
    if application.state != State.IN_REVIEW or stage is None or stage.kind not in Stage.Kind.WITH_REVIEWERS:
        raise ValidationError(_("Only applications at a panel stage can be given reviewers."))
    if reviewer.pk == application.applicant_id:
        raise ValidationError(_("Nobody may review their own application."))
    if not any(member.user_id == reviewer.pk for member in _panel_members()):
        raise ValidationError(_("Only panel members can be assigned."))
    if Assignment.objects.filter(application=application, reviewer=reviewer, has_conflict=True).exists():
        raise ValidationError(_("This reviewer has declared a conflict of interest with the application."))
    assignment, created = Assignment.objects.get_or_create(
        funder=application.funder, application=application, stage=stage, reviewer=reviewer, defaults={"due": due})
    if created:
        _tally_again([application.pk])
        reviewer_assigned(assignment=assignment, by=by)
        assignment_notice(assignment)
    return assignment


@transaction.atomic
def assignments_auto(*, applications: Iterable[Application], per_application: int, by: User,
                     due: date | None = None) -> int:
    """Give each application ``per_application`` reviewers: those whose expertise covers its theme first, then the
    least loaded; never the applicant or a reviewer who declared a conflict. Returns the number of assignments made."""
    memberships = _panel_members()
    members = [member.user for member in memberships]
    expertise = {member.user_id: set(member.expertise or []) for member in memberships}
    load = Counter(Assignment.objects.without_conflict().values_list("reviewer_id", flat=True))
    made = 0
    for application in applications:
        current = list(application.assignments.filter(stage=application.current_stage))
        taken = {assignment.reviewer_id for assignment in current}
        needed = per_application - sum(1 for assignment in current if not assignment.has_conflict)
        candidates = sorted(
            (user for user in members if user.pk not in taken and user.pk != application.applicant_id),
            key=lambda user: (application.theme not in expertise[user.pk], load[user.pk], user.email))
        for reviewer in candidates[:max(needed, 0)]:
            assignment_create(application=application, reviewer=reviewer, by=by, due=due)
            load[reviewer.pk] += 1
            made += 1
    return made


@transaction.atomic
def assignment_declare(*, assignment: Assignment, has_conflict: bool, note: str = "") -> Assignment:
    """Before seeing the application the reviewer declares impartiality; a conflict ends their access."""
    if assignment.has_conflict is not None:
        raise ValidationError(_("You have already made your declaration."))
    if has_conflict and not note.strip():
        raise ValidationError(_("Say briefly what the conflict of interest is."))
    assignment.has_conflict, assignment.conflict_note = has_conflict, note.strip()
    assignment.declared_at = timezone.now()
    assignment.save(update_fields=["has_conflict", "conflict_note", "declared_at"])
    impartiality_declared(assignment=assignment)
    _tally_again([assignment.application_id])
    return assignment


@transaction.atomic
def assignments_close_open(*, reviewer: User) -> int:
    """Close the reviewer's assignments at the active funder that have no submitted review (drafts go with them);
    returns how many were closed."""
    open_assignments = Assignment.objects.filter(reviewer=reviewer).exclude(review__submitted_at__isnull=False)
    applications = set(open_assignments.values_list("application_id", flat=True))
    closed = open_assignments.delete()[1].get(Assignment._meta.label, 0)
    _tally_again(applications)
    return closed


def _holds_panel_role(reviewer):
    """Whether ``reviewer`` is a panel member of the active funder now; the row stays locked until commit."""
    return Membership.objects.select_for_update().panel().filter(user=reviewer).first() is not None


@transaction.atomic
def review_save(*, assignment: Assignment, scores: dict[str, dict[str, Any]], recommendation: str, comment: str,
                submit: bool) -> Review:
    """Save a draft review, or submit it: every criterion scored on the call's scale and a recommendation.

    Only a panel member with the assignment still open may: the role and the assignment are locked while saving.
    """
    if not _holds_panel_role(assignment.reviewer_id):
        raise ValidationError(_("You no longer hold the panel member role here."))
    assignment = Assignment.objects.select_for_update().filter(pk=assignment.pk).select_related("application__call").first()
    if assignment is None:
        raise ValidationError(_("This assignment is closed."))
    call = assignment.application.call
    review, _created = Review.objects.get_or_create(funder=assignment.funder, assignment=assignment)
    if review.submitted_at:
        raise ValidationError(_("This review is submitted and can no longer change."))
    call_criteria = list(call.criteria.all())
    criteria = {str(criterion.pk) for criterion in call_criteria}
    for criterion_id, entry in scores.items():
        if criterion_id not in criteria:
            raise ValidationError(_("Unknown criterion."))
        score = entry.get("score")
        if score is not None and not call.score_min <= score <= call.score_max:
            raise ValidationError(_("Scores go from %(low)s to %(high)s.") % {"low": call.score_min, "high": call.score_max})
    if submit:
        missing = [criterion_id for criterion_id in criteria if scores.get(criterion_id, {}).get("score") is None]
        if missing or not recommendation:
            raise ValidationError(_("Score every criterion and give a recommendation before submitting."))
    review.scores, review.recommendation, review.comment = scores, recommendation, comment.strip()
    review.weighted_score = weighted_score(scores, call_criteria)
    if submit:
        review.submitted_at = timezone.now()
    review.save()
    _tally_again([assignment.application_id])
    return review
