"""The data generator of the benchmarks (manage.py seed_scale), at a tiny size: it writes what it prints, the same on
every run with the same seed, in states the app reads, and the big call's pages open."""

import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse

from applications.lifecycle import State
from applications.models import Application, ApplicationTransition
from calls.models import Call, Stage
from fundportal.models import Role, User
from fundportal.tenancy import scopes_disabled
from review.models import Assignment, Decision, Review

TINY = ["--funders", "2", "--calls", "9", "--applications", "200", "--big-call", "40", "--panel", "6"]


def seed(*options):
    out = StringIO()
    call_command("seed_scale", *TINY, *options, stdout=out)
    return out.getvalue()


def printed_counts(output):
    return {label: int(count.replace(",", "")) for label, count in re.findall(r"^(\w+\.\w+)\s+([\d,]+)$", output, re.M)}


def written(*options):
    """What a run writes that does not depend on primary keys, in the order written; then it is rolled back."""
    with transaction.atomic():
        seed(*options)
        with scopes_disabled():
            rows = list(Application.objects.order_by("pk").values_list(
                "call__funder__slug", "call__slug", "case_number", "title", "state", "amount_requested", "submitted_at"))
        transaction.set_rollback(True)
    return rows


@pytest.mark.django_db
def test_it_writes_what_it_prints():
    counts = printed_counts(seed())
    assert counts["applications.Application"] == 200
    for label in ("review.Review", "review.Screening", "review.Decision", "applications.ApplicationTransition",
                  "applications.Attachment", "fundportal.OutboxEmail"):
        assert counts[label] > 0, label
    with scopes_disabled():
        assert {label: apps.get_model(label).objects.count() for label in counts} == counts
    with pytest.raises(CommandError, match="already holds"):  # a second run on the same database is refused
        seed()


@pytest.mark.django_db
def test_the_same_seed_writes_the_same_applications_and_another_seed_others():
    first = written()
    assert first == written()
    case_numbers = [case_number for _funder, _call, case_number, *_rest in first if case_number]
    assert len(case_numbers) == len(set(case_numbers))
    assert first != written("--seed", "7")


@pytest.mark.django_db
def test_the_big_call_is_shaped_as_asked_and_states_agree_with_their_stages():
    seed()
    with scopes_disabled():
        call = Call.objects.get(funder__slug="scale-01", slug="big-call")
        at_panel = Application.objects.filter(call=call, state=State.IN_REVIEW, current_stage__kind=Stage.Kind.PANEL)
        assert at_panel.count() == 36
        assert Application.objects.filter(call=call, state=State.SUBMITTED, current_stage=None).count() == 4
        reviews = Review.objects.filter(assignment__application__call=call)
        assert reviews.filter(submitted_at__isnull=False).count() == 3 * 36 == reviews.count()
        assert all(len(review.scores) == 4 for review in reviews)  # a score for each of the four criteria
        reviewers = Assignment.objects.filter(application__call=call).values_list("reviewer", flat=True)
        panel = User.objects.filter(memberships__funder=call.funder, memberships__role=Role.PANEL_MEMBER)
        assert set(reviewers) == set(panel.values_list("pk", flat=True))
        assert not Application.objects.filter(state__in=State.AT_A_STAGE, current_stage=None).exists()
        assert not Application.objects.filter(state__in=State.VISIBLE_TO_STAFF, case_number="").exists()
        for each in Call.objects.select_related("funder"):  # grants within each budget, in the funder's currency
            granted = Decision.objects.filter(application__call=each, outcome=Decision.Outcome.GRANTED)
            assert (granted.aggregate(total=Sum("amount"))["total"] or 0) <= each.budget
            assert each.currency == each.funder.currency
        last_moves = dict(ApplicationTransition.objects.order_by("at", "id").values_list("application", "target_state"))
        for pk, state in Application.objects.values_list("pk", "state"):  # each one's state is where its moves led
            assert last_moves.get(pk, State.DRAFT) == state


@pytest.mark.django_db
def test_the_big_calls_ranking_and_screening_queue_open_for_its_administrator(client):
    seed()
    client.force_login(User.objects.get(email="admin@scale-01.example"))
    ranking = client.get(reverse("review:ranking", args=["scale-01", "big-call"]))
    assert ranking.status_code == 200
    with scopes_disabled():
        at_panel = Application.objects.filter(call__slug="big-call", state=State.IN_REVIEW)
        assert any(application.case_number in ranking.content.decode() for application in at_panel)  # its rows
    assert client.get(reverse("review:queue", args=["scale-01"])).status_code == 200
    assert client.get(reverse("review:progress", args=["scale-01", "big-call"])).status_code == 200
