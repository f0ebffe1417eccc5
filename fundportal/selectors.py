"""Reads about people and funders that several pages share."""

from fundportal.models import Funder, Membership
from fundportal.tenancy import scopes_disabled


def roles_at(user, funder):
    """The roles ``user`` holds at ``funder`` (a funder or its id), loaded once per user object."""
    funder_id = getattr(funder, "pk", funder)
    if funder_id is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    loaded = user.__dict__.setdefault("_roles_by_funder", {})
    if funder_id not in loaded:
        with scopes_disabled():
            loaded[funder_id] = frozenset(
                Membership.objects.filter(user=user, funder_id=funder_id).values_list("role", flat=True)
            )
    return loaded[funder_id]


def workplaces_of(user):
    """Funders where ``user`` holds a role, each with the roles held: [(funder, [role labels])]."""
    with scopes_disabled():
        memberships = Membership.objects.filter(user=user).select_related("funder").order_by("funder__name", "role")
        by_funder = {}
        for membership in memberships:
            by_funder.setdefault(membership.funder, []).append(membership.get_role_display())
    return list(by_funder.items())


def active_funders():
    return Funder.objects.filter(is_active=True)
