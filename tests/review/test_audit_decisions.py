"""The audit trail of the assessment: each decision and each of its revisions, each reviewer assigned, each declaration
of impartiality, and the screening and review pages that show a part marked confidential are recorded once."""

from decimal import Decimal

import pytest
from django.urls import reverse

from applications.services import application_transition
from fundportal.models import Role
from fundportal.tenancy import scope
from review.decisions import decision_record
from review.services import assignment_create, assignment_declare, screening_decide
from tests.auditing import CLIENT_ADDRESS, PROXY, Kind, admin, behind_the_proxy, events  # noqa: F401 - the trail tests' fixtures
from tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_decision(funder, at_panel, admin):
    with scope(funder=funder):
        application_transition(application=at_panel[0], action="to_decision", by=admin)
        at_panel[0].refresh_from_db()
    return at_panel[0]


def test_a_decision_and_its_revision_are_each_recorded_once(client, funder, at_decision, admin):
    client.force_login(admin)
    url = reverse("review:decision", args=[funder.slug, at_decision.call.slug, at_decision.pk])
    client.post(url, {"decision-outcome": "granted", "decision-amount": "400000"}, **PROXY)
    [recorded] = events(funder, kind=Kind.DECISION_RECORDED)
    assert (recorded.actor, recorded.address, recorded.application_id) == (admin, CLIENT_ADDRESS, at_decision.pk)
    assert recorded.details == {"outcome": "granted", "amount": "400000", "currency": "SEK"}
    assert recorded.object_label == "RS-IF-2026-0001"
    with scope(funder=funder):
        decision_record(application=at_decision, by=admin, outcome="declined", reason="Not this year")
    [revised] = events(funder, kind=Kind.DECISION_REVISED)
    assert revised.details["outcome"] == "declined" and revised.details["amount"] is None
    assert len(events(funder, kind=Kind.DECISION_RECORDED)) == 1


def test_the_trail_says_the_decision_in_words(client, funder, at_decision, admin):
    with scope(funder=funder):
        decision_record(application=at_decision, by=admin, outcome="granted", amount=Decimal(400000))
    client.force_login(admin)
    page = client.get(reverse("audit", args=[funder.slug]), {"kind": Kind.DECISION_RECORDED}).content.decode()
    assert "Decided: Granted, SEK\xa0400,000" in page


def test_screening_out_records_the_move_and_the_decision(funder, submitted):
    screener = staff(funder, Role.SCREENER)
    with scope(funder=funder):
        screening_decide(application=submitted[0], by=screener, outcome="screen_out", reason="Not eligible")
    assert [event.details["action"] for event in events(funder, kind=Kind.APPLICATION_MOVED)] == [
        "start_review", "screen_out"]
    [decided] = events(funder, kind=Kind.DECISION_RECORDED)
    assert decided.actor == screener and decided.details["outcome"] == "declined"


def test_assigning_a_reviewer_and_their_declaration_are_each_recorded(client, funder, at_panel, panel, admin):
    with scope(funder=funder):
        assignment = assignment_create(application=at_panel[0], reviewer=panel[0], by=admin)
        assignment_create(application=at_panel[0], reviewer=panel[0], by=admin)  # already assigned: nothing new
    [assigned] = events(funder, kind=Kind.REVIEWER_ASSIGNED)
    assert (assigned.actor, assigned.application_id) == (admin, at_panel[0].pk)
    assert assigned.details == {"reviewer": "panel1@example.se"}
    client.force_login(panel[0])
    client.post(reverse("review:review", args=[funder.slug, assignment.pk]), {"has_conflict": "no"}, **PROXY)
    [declared] = events(funder, kind=Kind.IMPARTIALITY_DECLARED)
    assert (declared.actor, declared.address, declared.details) == (panel[0], CLIENT_ADDRESS, {"conflict": False})


def test_a_declared_conflict_is_recorded_as_one(funder, at_panel, panel, admin):
    with scope(funder=funder):
        assignment = assignment_create(application=at_panel[1], reviewer=panel[1], by=admin)
        assignment_declare(assignment=assignment, has_conflict=True, note="My sister")
    [declared] = events(funder, kind=Kind.IMPARTIALITY_DECLARED)
    assert declared.details == {"conflict": True} and declared.actor == panel[1]


def with_a_confidential_answer(funder, application):
    with scope(funder=funder):
        section = application.call.sections.create(funder=funder, title={"en": "Project"})
        question = section.questions.create(funder=funder, kind="long_text", label={"en": "Secret"})
        application.answers, application.confidential = {f"q{question.pk}": "x"}, {f"q{question.pk}": "Patent"}
        application.save(update_fields=["answers", "confidential"])


def test_a_screener_reading_a_confidential_part_is_recorded(client, funder, submitted):
    screener = staff(funder, Role.SCREENER, user__email="screener@rs.example")
    with scope(funder=funder):
        application_transition(application=submitted[2], action="start_review", by=screener)
    with_a_confidential_answer(funder, submitted[2])
    client.force_login(screener)
    assert client.get(reverse("review:screening", args=[funder.slug, submitted[2].pk]), **PROXY).status_code == 200
    [screening] = events(funder, kind=Kind.CONFIDENTIAL_VIEWED)
    assert (screening.actor, screening.address, screening.details) == (
        screener, CLIENT_ADDRESS, {"page": "screening", "parts": 1})


def test_a_reviewer_reading_a_confidential_part_is_recorded_once_the_application_is_shown(client, funder, at_panel,
                                                                                          panel, admin):
    with_a_confidential_answer(funder, at_panel[0])
    with scope(funder=funder):
        assignment = assignment_create(application=at_panel[0], reviewer=panel[0], by=admin)
    client.force_login(panel[0])
    url = reverse("review:review", args=[funder.slug, assignment.pk])
    client.get(url)  # the declaration first: nothing of the application is shown yet
    assert events(funder, kind=Kind.CONFIDENTIAL_VIEWED) == []
    client.post(url, {"has_conflict": "no"})
    client.get(url)
    [review] = events(funder, kind=Kind.CONFIDENTIAL_VIEWED)
    assert review.actor == panel[0] and review.details == {"page": "review", "parts": 1}
