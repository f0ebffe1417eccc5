"""Reads about people and funders that several pages share."""

from django.db.models import Count, Q

from fundportal.models import Funder, LocalMail, Membership, MembershipChange, OutboxEmail, Role, User
from fundportal.tenancy import scopes_disabled


def roles_at(user, funder):
    """The roles ``user`` holds at ``funder`` (a funder or its id)."""
    funder_id = getattr(funder, "pk", funder)
    if funder_id is None:
        return frozenset()
    return roles_everywhere(user).get(funder_id, (frozenset(), False))[0]


def roles_everywhere(user):
    """{funder id: (the roles ``user`` holds there, whether that funder asks its staff for two factors)}, read in
    one query once per user object: a page's permission checks and the second-factor rule (fundportal.security)
    share it, whichever asks first."""
    if not getattr(user, "is_authenticated", False):
        return {}
    if "_roles_everywhere" not in user.__dict__:
        loaded = {}
        with scopes_disabled():
            for funder_id, role, two_factors in Membership.objects.filter(user=user).values_list(
                    "funder_id", "role", "funder__staff_two_factor_required"):
                roles, _two_factors = loaded.get(funder_id, (frozenset(), two_factors))
                loaded[funder_id] = (roles | {role}, two_factors)
        user.__dict__["_roles_everywhere"] = loaded
    return user.__dict__["_roles_everywhere"]


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


def funders_with_administrators():
    """Every funder by name, with how many fund administrators it has: [(funder, count)] (the operator's page)."""
    with scopes_disabled():  # the operator's view spans funders
        administrators = dict(Membership.objects.filter(role=Role.ADMINISTRATOR).values_list("funder")
                              .annotate(count=Count("pk")).values_list("funder", "count"))
    return [(funder, administrators.get(funder.pk, 0)) for funder in Funder.objects.order_by("name")]


def panel_people():
    """The people on the active funder's panel, by email address."""
    return User.objects.filter(pk__in=Membership.objects.panel().values_list("user_id", flat=True)).order_by("email")


def team(*, funder, search="", role=""):
    """[(person, [their memberships at ``funder``])] by email: those whose name or email holds ``search``, and who
    hold ``role`` (each when given)."""
    memberships = Membership.objects.select_related("user").order_by("user__email", "role")
    if search:
        memberships = memberships.filter(Q(user__email__icontains=search) | Q(user__first_name__icontains=search)
                                         | Q(user__last_name__icontains=search))
    if role in Role.values:
        memberships = memberships.filter(user__memberships__role=role, user__memberships__funder=funder)
    by_person = {}
    for membership in memberships.distinct():
        by_person.setdefault(membership.user, []).append(membership)
    return list(by_person.items())


def team_changes(count=10):
    """The latest roles given and taken away at the active funder, newest first."""
    return MembershipChange.objects.select_related("by")[:count]


def outbox_emails(*, batch="", search="", status=""):
    """The active funder's emails: of ``batch``, whose recipient or subject holds ``search``, in ``status`` (each
    when given; a status that is none of the outbox's is no filter)."""
    emails = OutboxEmail.objects.all()
    if batch:
        emails = emails.filter(batch=batch)
    if search:
        emails = emails.filter(Q(recipient__icontains=search) | Q(subject__icontains=search))
    return emails.filter(status=status) if status in OutboxEmail.Status.values else emails


def outbox_batches():
    """The names of the active funder's batches of emails, in order."""
    return list(OutboxEmail.objects.exclude(batch="").values_list("batch", flat=True).distinct().order_by("batch"))


def count_by_status(emails):
    """{status: how many of ``emails``}, for the statuses that have any."""
    return dict(emails.values_list("status").annotate(n=Count("*")))


def sendable(emails, ids=()):
    """Those of ``emails`` someone may send (only ``ids`` of them, if given)."""
    if ids:
        emails = emails.filter(pk__in=ids)
    return list(emails.filter(status__in=OutboxEmail.SENDABLE))


def mail_of(user):
    """The local mailbox of ``user``: the mail delivered to their address, newest first."""
    return LocalMail.objects.filter(recipient=user.email.lower())
