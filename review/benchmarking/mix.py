"""The load test's plan (manage.py load_test, review/benchmarking/locustfile.py): who the simulated people are and
which addresses each of them uses, picked from the data in the database.

Applicants are the owners of drafts still open for writing (one draft each, so two simulated applicants seldom
save the same draft); panel members are those with a review they may still write (declared free of conflict, not
submitted), else the busiest one, who then only reads; the administrator is the biggest call's, with its ranking,
screening queue, progress and one decision page (read, never decided). The people are signed in by the command and
the plan carries their session cookies.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from applications.lifecycle import State
from applications.models import Application
from fundportal.tenancy import scopes_disabled
from review.benchmarking.pages import pick_subjects
from review.models import Assignment

APPLICANTS = 40  # at most this many different people of each kind
REVIEWERS = 20


@dataclass(frozen=True)
class Cast:
    """The people by kind, each with the addresses they use (cookies still to be added)."""

    public: dict
    applicants: list  # [(user, addresses)]
    reviewers: list
    administrators: list

    def people(self):
        return {user for kind in (self.applicants, self.reviewers, self.administrators) for user, _paths in kind}

    def plan(self, cookies):
        """The JSON the locustfile reads."""
        def signed(kind):
            return [{**paths, "cookie": cookies[user]} for user, paths in kind]

        return {"session_cookie": settings.SESSION_COOKIE_NAME, **self.public,
                "applicants": signed(self.applicants), "reviewers": signed(self.reviewers),
                "administrators": signed(self.administrators)}

    def user_classes(self):
        """The locustfile's classes with people to play them."""
        kinds = (("Applicant", self.applicants), ("Reviewer", self.reviewers), ("Administrator", self.administrators))
        return [name for name, people in kinds if people]


def cast(duration):
    """Who plays and where, or None when the data has no call with an administrator."""
    subjects = pick_subjects()
    if subjects is None:
        return None
    with scopes_disabled():
        drafts = writable_drafts(timezone.now() + timedelta(seconds=duration + 60))
        call = drafts[0].call if drafts else subjects.call
        where = {"funder_slug": call.funder.slug, "call_slug": call.slug}
        public = {"calls": reverse("open_calls"), "call": reverse("calls:call_detail", kwargs=where)}
        return Cast(public=public, applicants=[applicant(draft) for draft in drafts],
                    reviewers=reviewers(subjects), administrators=[administrator(subjects)])


def writable_drafts(until):
    """Drafts whose period is open until after the test, one per applicant."""
    drafts = (Application.objects.filter(state=State.DRAFT, period__opens_at__lte=timezone.now(),
                                         period__closes_at__gt=until, extension_until__isnull=True)
              .select_related("applicant", "funder", "call__funder").order_by("pk"))
    chosen, seen = [], set()
    for draft in drafts.iterator():
        if draft.applicant_id not in seen:
            seen.add(draft.applicant_id)
            chosen.append(draft)
        if len(chosen) == APPLICANTS:
            break
    return chosen


def applicant(draft):
    where = {"funder_slug": draft.funder.slug, "application_id": draft.pk, "number": 1}
    return draft.applicant, {"my_applications": reverse("my_applications"),
                             "section": reverse("applications:section", kwargs=where),
                             "section_post": reverse("applications:autosave", kwargs=where)}


def reviewers(subjects):
    """Panel members with a review to write in the biggest call, one assignment each; else the busiest, reading."""
    open_work = (Assignment.objects.filter(application__call=subjects.call, has_conflict=False)
                 .exclude(review__submitted_at__isnull=False)
                 .select_related("reviewer", "application__call__funder", "stage").order_by("reviewer", "pk"))
    chosen, seen = [], set()
    for assignment in open_work.iterator():
        if assignment.reviewer_id in seen or not assignment.reviewer.has_perm("review.review", assignment):
            continue
        seen.add(assignment.reviewer_id)
        chosen.append(reviewer(assignment, may_save=True))
        if len(chosen) == REVIEWERS:
            break
    if not chosen and subjects.assignment:
        chosen.append(reviewer(subjects.assignment, may_save=False))
    return chosen


def reviewer(assignment, may_save):
    funder = {"funder_slug": assignment.application.call.funder.slug}
    return assignment.reviewer, {"dashboard": reverse("review:dashboard", kwargs=funder),
                                 "review": reverse("review:review", kwargs={**funder, "assignment_id": assignment.pk}),
                                 "may_save": may_save}


def administrator(subjects):
    call = subjects.call
    in_call = {"funder_slug": call.funder.slug, "call_slug": call.slug}
    ranking = reverse("review:ranking", kwargs=in_call)
    assessed = subjects.assessed
    decision = (reverse("review:decision", kwargs={**in_call, "application_id": assessed.pk}) if assessed
                else ranking)
    return subjects.administrator, {
        "ranking": ranking, "ranking_sorted": f"{ranking}?sort=spread&page=2", "decision": decision,
        "screening": reverse("review:queue", kwargs={"funder_slug": call.funder.slug}),
        "progress": reverse("review:progress", kwargs=in_call)}
