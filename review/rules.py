"""Who may do what in the assessment."""

import rules

from fundportal.rules import is_administrator, is_panel_member, is_screener, is_steering_member


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
    return application.state == "in_review" and application.current_stage_id == assignment.stage_id


@rules.predicate
def awaits_decision(user, application):
    """In review and without a released decision: a decision may still be recorded or revised."""
    decision = getattr(application, "decision", None)
    return application.state == "in_review" and (decision is None or decision.released_at is None)


rules.add_perm("review.screen", is_administrator | is_screener)
rules.add_perm("review.manage_panel", is_administrator)
rules.add_perm("review.view_reviews_dashboard", is_panel_member | is_steering_member)
rules.add_perm("review.review", is_panel_member & is_the_reviewer & has_no_conflict & stage_is_open)
rules.add_perm("review.view_ranking", is_administrator | is_steering_member)
rules.add_perm("review.decide", is_administrator | is_steering_member)
rules.add_perm("review.decide_application", (is_administrator | is_steering_member) & awaits_decision)
