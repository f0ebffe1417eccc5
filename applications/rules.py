"""Who may do what with an application."""

import rules

from applications.lifecycle import APPLICANT, State
from fundportal.rules import is_administrator, is_steering_member
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


@rules.predicate
def is_decided_or_withdrawn(user, application):
    return application is not None and (application.state in State.DECIDED or application.state == State.WITHDRAWN)


def roles_on(user, application):
    """The roles ``user`` can act in on ``application``: its applicant, and any funder role."""
    roles = set(roles_at(user, application.funder))
    if is_main_applicant(user, application):
        roles.add(APPLICANT)
    return roles


def may_make(user, application, transition):
    return bool(roles_on(user, application) & set(transition.by))


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
rules.add_perm("applications.submit_application", is_main_applicant)
rules.add_perm("applications.manage_people", is_main_applicant)
rules.add_perm("applications.withdraw_application", is_main_applicant & ~is_decided_or_withdrawn)
rules.add_perm("applications.manage_applications", is_administrator)  # also drafts: a later deadline
rules.add_perm("applications.compare_revisions", is_administrator & was_submitted)
rules.add_perm("applications.view_report", is_administrator | is_steering_member)
