"""The key pages the benchmark asks for, and the people and objects it asks with, picked from whatever data is in
the database: the biggest call (by applications) and its funder's administrator, the panel member with the most
assignments in it, and the applicant with the most applications among those still writing one."""

from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from applications.lifecycle import State
from applications.models import Application
from calls.models import Call
from fundportal.models import Membership, Role, User
from fundportal.tenancy import scopes_disabled
from review.models import Assignment
from review.selectors import PAST_SCREENING


@dataclass(frozen=True)
class Page:
    key: str
    path: str
    user: User | None  # None: nobody signed in


@dataclass(frozen=True)
class Subjects:
    call: Call
    administrator: User
    assignment: Assignment | None
    draft: Application | None  # an application its applicant is writing
    assessed: Application | None  # one of the call's applications past screening, for the decision page


def biggest_call():
    return Call.objects.annotate(size=Count("applications")).order_by("-size", "pk").select_related("funder").first()


def administrator_of(funder):
    memberships = Membership.objects.filter(funder=funder, role=Role.ADMINISTRATOR).select_related("user")
    membership = memberships.order_by("pk").first()
    return membership.user if membership else None


def busiest_assignment(call):
    """An assignment (free of conflict where there is one) of the call's panel member with the most assignments."""
    assignments = Assignment.objects.filter(application__call=call, reviewer__memberships__funder=call.funder,
                                            reviewer__memberships__role=Role.PANEL_MEMBER)
    busiest = assignments.values("reviewer").annotate(load=Count("pk")).order_by("-load", "reviewer").first()
    if busiest is None:
        return None
    own = assignments.filter(reviewer=busiest["reviewer"]).select_related("reviewer").order_by("pk")
    return own.filter(has_conflict=False).first() or own.first()


def busiest_draft():
    """The application being written by the applicant with the most applications of all who are writing one."""
    drafts = Application.objects.filter(state__in=State.EDITABLE).select_related("applicant", "funder")
    return drafts.annotate(theirs=Count("applicant__applications")).order_by("-theirs", "pk").first()


def pick_subjects():
    """What the pages are asked about, or None when there is no call with an administrator."""
    with scopes_disabled():
        call = biggest_call()
        administrator = administrator_of(call.funder) if call else None
        if administrator is None:
            return None
        assessed = Application.objects.filter(PAST_SCREENING, call=call).order_by("pk").first()
        return Subjects(call=call, administrator=administrator, assignment=busiest_assignment(call),
                        draft=busiest_draft(), assessed=assessed)


def key_pages(subjects):
    """Every key page, in the table's order; a page whose object the data lacks is left out."""
    call, administrator, assignment, draft = subjects.call, subjects.administrator, subjects.assignment, subjects.draft
    funder = {"funder_slug": call.funder.slug}
    in_call = {**funder, "call_slug": call.slug}
    pages = [
        Page("calls", reverse("open_calls"), None),
        Page("call", reverse("calls:call_detail", kwargs=in_call), None),
    ]
    if draft:
        pages += [
            Page("my-applications", reverse("my_applications"), draft.applicant),
            Page("section", reverse("applications:section", kwargs={
                "funder_slug": draft.funder.slug, "application_id": draft.pk, "number": 1}), draft.applicant),
        ]
    pages.append(Page("screening", reverse("review:queue", kwargs=funder), administrator))
    if assignment:
        pages += [
            Page("reviewer-dashboard", reverse("review:dashboard", kwargs=funder), assignment.reviewer),
            Page("review", reverse("review:review", kwargs={**funder, "assignment_id": assignment.pk}),
                 assignment.reviewer),
        ]
    pages += [Page(name, reverse(f"review:{name}", kwargs=in_call), administrator)
              for name in ("ranking", "assignments", "progress")]
    if subjects.assessed:
        decision = reverse("review:decision", kwargs={**in_call, "application_id": subjects.assessed.pk})
        pages.append(Page("decision", decision, administrator))
    pages += [
        Page("outbox", reverse("outbox", kwargs=funder), administrator),
        Page("people", reverse("people", kwargs=funder), administrator),
        Page("report", reverse("applications:report", kwargs=funder), administrator),
        Page("funder-dashboard", reverse("funder_dashboard", kwargs=funder), administrator),
        Page("calls-dashboard", reverse("calls:manage_calls", kwargs=funder), administrator),
    ]
    return pages


PAGE_KEYS = ("calls", "call", "my-applications", "section", "screening", "reviewer-dashboard", "review", "ranking",
             "assignments", "progress", "decision", "outbox", "people", "report", "funder-dashboard", "calls-dashboard")


@contextmanager
def signed_in(users):
    """A signed-in session for each person, by user: the value of its cookie, stored in the database that the
    server reads too; the sessions are ended afterwards."""
    cookies = {}
    for user in users:
        client = Client()
        client.force_login(user)
        cookies[user] = client.cookies[settings.SESSION_COOKIE_NAME].value
    try:
        yield cookies
    finally:
        Session.objects.filter(session_key__in=cookies.values()).delete()
