"""Who may do what in the assessment."""

import rules

from applications.lifecycle import State
from applications.rules import may
from fundportal.rules import is_administrator, is_panel_member, is_steering_member
from review.anonymity import is_identifying
from review.decisions import ACTIONS as DECISION_MOVES
from review.models import Assignment
from review.selectors import in_screening, past_screening
from review.services import SCREENING_OUTCOMES


@rules.predicate
def is_the_reviewer(user, assignment):
    return assignment is not None and assignment.reviewer_id == user.pk


@rules.predicate
def has_no_conflict(user, assignment):
    return assignment is not None and assignment.has_conflict is not True


@rules.predicate
def stage_is_open(user, assignment):
    """A reviewer works on an application only while it sits at the assignment's stage."""
    application = assignment.application
    return application.state == State.IN_REVIEW and application.current_stage_id == assignment.stage_id


@rules.predicate
def review_is_submitted(user, assignment):
    """A finished review stays readable to its reviewer, also after the stage and the release."""
    review = getattr(assignment, "review", None)
    return review is not None and review.submitted_at is not None


@rules.predicate
def is_in_screening(user, application):
    return application is not None and in_screening(application)


@rules.predicate
def is_past_screening(user, application):
    return application is not None and past_screening(application)


@rules.predicate
def awaits_decision(user, application):
    """Past screening and without a released decision: a decision may still be recorded or revised."""
    decision = getattr(application, "decision", None)
    return (application.state == State.IN_REVIEW and past_screening(application)
            and (decision is None or decision.released_at is None))


@rules.predicate
def reviews_the_attachments_application(user, attachment):
    """An assigned panel member who declared no conflict, while the stage is open or after their review; on a call
    anonymous to the panel, never the file of a question that identifies the applicant."""
    if attachment is None or not user.is_authenticated:
        return False
    application = attachment.application
    if application.call.anonymous_to_panel and is_identifying(attachment.question):
        return False
    assignments = Assignment.objects.filter(application=application, reviewer=user, has_conflict=False)
    return any(user.has_perm("review.read_review", assignment) for assignment in assignments.select_related("review"))


is_reviewer_at_work = is_panel_member & is_the_reviewer & has_no_conflict

# Who screens and who decides is the lifecycle table's *by* column: whoever may make every move a screening makes,
# or every move a release of decisions makes.
may_screen = may("start_review", *SCREENING_OUTCOMES.values())
may_decide = may("to_decision", *DECISION_MOVES.values())

rules.add_perm("review.screen", may_screen)
rules.add_perm("review.screen_application", may_screen & is_in_screening)
rules.add_perm("review.manage_panel", is_administrator)
rules.add_perm("review.view_reviews_dashboard", is_panel_member | is_steering_member)
rules.add_perm("review.read_review", is_reviewer_at_work & (stage_is_open | review_is_submitted))
rules.add_perm("review.read_attachment", reviews_the_attachments_application)  # applications.view_attachment asks it
rules.add_perm("review.review", is_reviewer_at_work & stage_is_open)
rules.add_perm("review.view_ranking", is_administrator | is_steering_member)
rules.add_perm("review.decide", may_decide)
rules.add_perm("review.decide_application", may_decide & awaits_decision)
rules.add_perm("review.view_assessed_application", (is_administrator | is_steering_member) & is_past_screening)
