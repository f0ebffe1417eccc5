"""Decisions and reviews taken at the same moment on PostgreSQL: nothing lost, nothing doubled, no rule bypassed.

Each story runs two threads, each on its own database connection. A hook holds the first thread just after its
check (the budget read, the role read) until the second has made its own check — or, where a lock makes the second
wait, for a second at most — so the race is taken every time, not by luck.
"""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from fundportal.models import Membership, Role
from fundportal.services import membership_revoke
from fundportal.tenancy import scope
from review import decisions
from review import services as review_services
from review.models import Assignment, Decision, Review
from review.services import assignment_declare, assignments_auto, review_save
from tests.conftest import service_unavailable
from tests.factories import staff

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        service_unavailable("thread races need PostgreSQL (set DATABASE_URL)")


def held_at(module, name, monkeypatch, parties=2, seconds=1.0):
    """Make ``module.name`` wait, after it has run, until ``parties`` callers reached it (or ``seconds`` passed)."""
    barrier, original = threading.Barrier(parties, timeout=seconds), getattr(module, name)

    def waiting(*args, **kwargs):
        result = original(*args, **kwargs)
        try:
            barrier.wait()
        except threading.BrokenBarrierError:  # the other caller never came: carry on alone
            return result
        return result

    monkeypatch.setattr(module, name, waiting)


def together(funder, *jobs):
    """Run each job in its own thread and connection; [(result or error)] in job order."""
    outcomes = [None] * len(jobs)

    def run(number, job):
        try:
            with scope(funder=funder):
                outcomes[number] = job()
        except Exception as error:  # noqa: BLE001 - the story checks what each side got
            outcomes[number] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(number, job)) for number, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_grants_at_the_same_moment_never_exceed_the_budget_without_a_reason(funder, at_panel, monkeypatch):
    """Budget 1 000 000: 450 000 + 400 000 fit; 300 000 more only with a recorded override."""
    admin, steering = staff(funder, Role.ADMINISTRATOR), staff(funder, Role.STEERING_MEMBER)
    with scope(funder=funder):
        decisions.decision_record(application=at_panel[0], by=admin, outcome="granted", amount=Decimal(450_000))
    held_at(decisions, "granted_sum", monkeypatch)
    outcomes = together(
        funder,
        lambda: decisions.decision_record(application=at_panel[1], by=admin, outcome="granted", amount=Decimal(400_000)),
        lambda: decisions.decision_record(application=at_panel[2], by=steering, outcome="granted", amount=Decimal(300_000)))
    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(refused) == 1 and "above its budget" in str(refused[0])
    with scope(funder=funder):
        granted = Decision.objects.filter(outcome="granted")
        assert sum(decision.amount for decision in granted) <= 1_000_000
        assert not granted.exclude(budget_override="").exists()


def test_two_administrators_deciding_one_application_leave_one_decision_and_both_versions(funder, at_panel, monkeypatch):
    first, second = staff(funder, Role.ADMINISTRATOR), staff(funder, Role.ADMINISTRATOR)
    held_at(decisions, "granted_sum", monkeypatch)
    application = at_panel[0]
    outcomes = together(
        funder,
        lambda: decisions.decision_record(application=application, by=first, outcome="granted", amount=Decimal(400_000)),
        lambda: decisions.decision_record(application=application, by=second, outcome="granted", amount=Decimal(300_000)))
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    with scope(funder=funder):
        decision = Decision.objects.get(application=application)
        changes = list(decision.changes.order_by("at", "id"))
        assert len(changes) == 2 and {change.by for change in changes} == {first, second}
        assert str(decision.amount) == changes[-1].values["amount"]  # the decision is the last version recorded


def test_a_role_taken_away_during_a_review_leaves_no_review_counted_after_it(funder, at_panel, panel, monkeypatch):
    with scope(funder=funder):
        assignments_auto(applications=at_panel[:1], per_application=1, by=staff(funder))
        assignment = Assignment.objects.get()
        assignment_declare(assignment=assignment, has_conflict=False)
        membership = Membership.objects.get(user=assignment.reviewer, role=Role.PANEL_MEMBER)
        scores = {str(c.pk): {"score": 5, "comment": ""} for c in at_panel[0].call.criteria.all()}
    held_at(review_services, "_holds_panel_role", monkeypatch)
    admin = staff(funder, Role.ADMINISTRATOR)
    outcomes = together(
        funder,
        lambda: review_save(assignment=assignment, scores=scores, recommendation="fund", comment="", submit=True),
        lambda: membership_revoke(membership=membership, by=admin))
    with scope(funder=funder):
        assert not Membership.objects.filter(user=assignment.reviewer).exists()
        submitted = Review.objects.filter(submitted_at__isnull=False)
        if isinstance(outcomes[0], Review):  # the review was in first, while the role was held: it counts
            assert submitted.count() == 1 and Assignment.objects.filter(pk=assignment.pk).exists()
        else:  # the role went first: the review is refused and the assignment closed
            assert isinstance(outcomes[0], ValidationError) and not submitted.exists()
            assert not Assignment.objects.filter(reviewer=assignment.reviewer).exists()
