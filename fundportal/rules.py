"""Who may do what at a funder: the portal-wide predicates and permissions.

Every view names one permission from a ``rules.py`` like this one; the test
``tests/fundportal/test_permissions_declared.py`` fails for a view that does not.
"""

import rules

from fundportal.export_jobs import KINDS as EXPORT_KINDS
from fundportal.models import Funder, Role
from fundportal.selectors import roles_at


def funder_id_of(obj):
    """The funder an object belongs to, by id, so checking a list of objects loads no funder."""
    if obj is None or isinstance(obj, Funder):
        return getattr(obj, "pk", None)
    return getattr(obj, "funder_id", None)


def holds_role(*roles):
    wanted = frozenset(roles)

    @rules.predicate(name="holds_role:" + "|".join(sorted(wanted)))
    def predicate(user, obj=None):
        return bool(roles_at(user, funder_id_of(obj)) & wanted)

    return predicate


is_administrator = holds_role(Role.ADMINISTRATOR)
is_panel_member = holds_role(Role.PANEL_MEMBER)
is_steering_member = holds_role(Role.STEERING_MEMBER)
is_funder_staff = holds_role(*Role.values)


@rules.predicate
def asked_for_the_export(user, job):
    return job is not None and job.user_id == user.pk


@rules.predicate
def may_still_export_its_kind(user, job):
    """Whoever asked for an export gets its file only while they may still start an export of its kind."""
    kind = EXPORT_KINDS.get(job.kind) if job is not None else None
    return kind is not None and user.has_perm(kind.permission, job.funder)


rules.add_perm("fundportal.view_public", rules.always_allow)
rules.add_perm("fundportal.signed_in", rules.is_authenticated)
rules.add_perm("fundportal.view_funder_dashboard", is_funder_staff)
rules.add_perm("fundportal.manage_outbox", is_administrator)
rules.add_perm("fundportal.manage_emails", is_administrator)
rules.add_perm("fundportal.manage_people", is_administrator)
rules.add_perm("fundportal.manage_funder", is_administrator)
rules.add_perm("fundportal.manage_sign_in", is_administrator)  # the funder's e-ID broker and its secret
rules.add_perm("fundportal.operate", rules.is_superuser)
rules.add_perm("fundportal.view_exports", is_funder_staff)
rules.add_perm("fundportal.download_export", is_funder_staff & asked_for_the_export & may_still_export_its_kind)
rules.add_perm("fundportal.view_audit", is_administrator)
