"""Who may do what with an application."""

import rules

from applications.lifecycle import APPLICANT
from fundportal.selectors import roles_at


@rules.predicate
def is_main_applicant(user, application):
    return application is not None and user.is_authenticated and application.applicant_id == user.pk


def roles_on(user, application):
    """The roles ``user`` can act in on ``application``: its applicant, and any funder role."""
    roles = set(roles_at(user, application.funder))
    if is_main_applicant(user, application):
        roles.add(APPLICANT)
    return roles


def may_make(user, application, transition):
    return bool(roles_on(user, application) & set(transition.by))
