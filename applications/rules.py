"""Who may do what with an application."""

import rules

from applications.lifecycle import APPLICANT, TRANSITIONS_BY_ACTION, State
from applications.models import Application
from fundportal.rules import funder_id_of, is_administrator, is_steering_member
from fundportal.selectors import roles_at


@rules.predicate
def is_main_applicant(user, application):
    return application is not None and user.is_authenticated and application.applicant_id == user.pk


def _collaboration(user, application):
    if application is None or not user.is_authenticated:
        return None
    cache = application.__dict__.setdefault("_collaboration", {})
    if user.pk not in cache:
        cache[user.pk] = application.collaborators.filter(email=user.email.lower()).first()
    return cache[user.pk]


@rules.predicate
def is_collaborator(user, application):
    return _collaboration(user, application) is not None


@rules.predicate
def is_editing_collaborator(user, application):
    collaboration = _collaboration(user, application)
    return collaboration is not None and collaboration.access == collaboration.Access.EDIT


@rules.predicate
def is_editable(user, application):
    return application is not None and application.state in State.EDITABLE


@rules.predicate
def was_submitted(user, application):
    """From its submission on: a draft, or one withdrawn before it was ever submitted, is the applicant's alone."""
    return application is not None and (
        application.state in State.VISIBLE_TO_STAFF
        or (application.state == State.WITHDRAWN and application.submitted_at is not None))


def may_make(user, target, transition):
    """Does ``user`` hold a role the lifecycle table names for ``transition`` (its *by* column) on ``target``: the
    applicant's on an application of their own, or a funder role at the funder of ``target`` (an application, or a
    funder)?"""
    if APPLICANT in transition.by and isinstance(target, Application) and is_main_applicant(user, target):
        return True
    funder_roles = set(transition.by) - {APPLICANT}
    return bool(funder_roles and roles_at(user, funder_id_of(target)) & funder_roles)


def may(*actions):
    """A predicate read from the lifecycle table: may the user make each of ``actions``, by the roles they hold?"""
    transitions = [TRANSITIONS_BY_ACTION[action] for action in actions]

    @rules.predicate(name="may:" + "|".join(actions))
    def predicate(user, target=None):
        return all(may_make(user, target, transition) for transition in transitions)

    return predicate


def in_a_state_to(action):
    """A predicate read from the lifecycle table: is the application in a state ``action`` moves out of?"""
    sources = TRANSITIONS_BY_ACTION[action].sources

    @rules.predicate(name=f"in_a_state_to:{action}")
    def predicate(user, application):
        return application is not None and application.state in sources

    return predicate


def _application_of(attachment):
    return attachment.application if attachment is not None else None


@rules.predicate
def may_read_its_application(user, attachment):
    return user.has_perm("applications.view_application", _application_of(attachment))


@rules.predicate
def screens_its_application(user, attachment):
    return user.has_perm("review.screen_application", _application_of(attachment))


@rules.predicate
def assesses_its_application(user, attachment):
    return user.has_perm("review.view_assessed_application", _application_of(attachment))


@rules.predicate
def reviews_its_application(user, attachment):
    """A panel member reviewing the application (review/rules.py says when they may read which file)."""
    return user.has_perm("review.read_attachment", attachment)


rules.add_perm("applications.view_application", is_main_applicant | is_collaborator | (is_administrator & was_submitted))
rules.add_perm("applications.view_attachment", may_read_its_application | screens_its_application
               | assesses_its_application | reviews_its_application)
rules.add_perm("applications.edit_application", (is_main_applicant | is_editing_collaborator) & is_editable)
rules.add_perm("applications.submit_application", may("submit", "resubmit"))  # the page says what stops it
rules.add_perm("applications.manage_people", is_main_applicant)
rules.add_perm("applications.withdraw_application", may("withdraw") & in_a_state_to("withdraw"))
rules.add_perm("applications.manage_applications", is_administrator)  # also drafts: a later deadline
rules.add_perm("applications.compare_revisions", is_administrator & was_submitted)
rules.add_perm("applications.view_audit", is_administrator & was_submitted)
rules.add_perm("applications.view_report", is_administrator | is_steering_member)
