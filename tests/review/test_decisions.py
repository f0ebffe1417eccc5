"""Administrators decide within the budget; decisions stay internal until released, with their history."""

import pytest
from django.urls import reverse

from applications.lifecycle import State
from applications.services import application_transition
from calls.models import Stage
from calls.services import call_set_pipeline
from fundportal.models import Role
from fundportal.tenancy import scope
from review.decisions import decision_record, decisions_release
from review.models import Decision
from tests.factories import ApplicationFactory, CallFactory, staff

pytestmark = pytest.mark.django_db


def decide(client, funder, application, **data):
    return client.post(reverse("review:decision", args=[funder.slug, application.call.slug, application.pk]),
                       {f"decision-{key}": value for key, value in data.items()})


@pytest.fixture
def admin(funder):
    return staff(funder, Role.ADMINISTRATOR)


def test_a_grant_is_internal_until_released(client, funder, at_panel, admin):
    textilsvinn = at_panel[0]
    client.force_login(admin)
    response = decide(client, funder, textilsvinn, outcome="granted", amount="400000", account="statligt anslag 1:1",
                      conditions="Medlen rekvireras i efterhand.")
    assert response.status_code == 302
    textilsvinn.refresh_from_db()
    assert textilsvinn.state == State.IN_REVIEW  # the applicant still reads "Being assessed"

    client.post(reverse("review:release", args=[funder.slug, textilsvinn.call.slug]))
    textilsvinn.refresh_from_db()
    with scope(funder=funder):
        decision = Decision.objects.get(application=textilsvinn)
    assert textilsvinn.state == State.GRANTED and decision.released_at is not None
    assert decide(client, funder, textilsvinn, outcome="declined", reason="Changed our mind").status_code == 200
    with scope(funder=funder):
        assert Decision.objects.get(application=textilsvinn).outcome == "granted"


def test_a_grant_above_the_amount_applied_for_is_refused(client, funder, at_panel, admin):
    client.force_login(admin)
    page = decide(client, funder, at_panel[0], outcome="granted", amount="500000").content.decode()
    assert "may not exceed the SEK\xa0450,000 applied for" in page


def test_the_budget_cannot_be_exceeded_without_a_recorded_reason(client, funder, at_panel, admin):
    client.force_login(admin)
    decide(client, funder, at_panel[0], outcome="granted", amount="450000")
    decide(client, funder, at_panel[1], outcome="granted", amount="400000")
    page = decide(client, funder, at_panel[2], outcome="granted", amount="300000").content.decode()
    assert "above its budget of SEK\xa01,000,000" in page
    decide(client, funder, at_panel[2], outcome="granted", amount="300000",
           budget_override="The steering group added 150 000 kr from next year's frame.")
    with scope(funder=funder):
        decision = Decision.objects.get(application=at_panel[2])
        assert decision.budget_override.startswith("The steering group added")
        assert decision.changes.get().values["budget_override"].startswith("The steering group added")


def test_a_decline_needs_a_justification_and_revisions_are_kept(client, funder, at_panel, admin):
    client.force_login(admin)
    page = decide(client, funder, at_panel[1], outcome="declined").content.decode()
    assert "Give the justification" in page
    decide(client, funder, at_panel[1], outcome="declined", reason="The need is not shown.")
    decide(client, funder, at_panel[1], outcome="granted", amount="200000")
    with scope(funder=funder):
        decision = Decision.objects.get(application=at_panel[1])
        assert [change.values["outcome"] for change in decision.changes.all()] == ["granted", "declined"]


@pytest.mark.parametrize(("role", "status"), [(Role.ADMINISTRATOR, 200), (Role.STEERING_MEMBER, 200),
                                              (Role.SCREENER, 403), (Role.PANEL_MEMBER, 403)])
def test_who_may_decide(client, funder, at_panel, role, status):
    client.force_login(staff(funder, role))
    url = reverse("review:decision", args=[funder.slug, at_panel[0].call.slug, at_panel[0].pk])
    assert client.get(url).status_code == status


def test_an_applicant_or_another_funder_gets_404(client, funder, other_funder, at_panel, outsider):
    url = reverse("review:decision", args=[funder.slug, at_panel[0].call.slug, at_panel[0].pk])
    for person in (outsider, staff(other_funder, Role.ADMINISTRATOR), at_panel[0].applicant):
        client.force_login(person)
        assert client.get(url).status_code == 404


def test_the_panel_meetings_consensus_and_order_rank_the_applications(client, funder, at_panel, admin):
    client.force_login(admin)
    url = reverse("review:decision", args=[funder.slug, at_panel[2].call.slug, at_panel[2].pk])
    client.post(url, {"consensus-score": "6.5", "consensus-comment": "Best value for the region", "consensus": "1"})
    client.post(reverse("review:decision", args=[funder.slug, at_panel[1].call.slug, at_panel[1].pk]),
                {"consensus-score": "5", "consensus-position": "1", "consensus": "1"})
    rows = client.get(reverse("review:ranking", args=[funder.slug, at_panel[0].call.slug])).context["rows"]
    assert [row.application.title for row in rows] == ["IVA-dagboken", "Robyn", "Textilsvinn"]
    page = client.post(url, {"consensus-score": "9", "consensus": "1"}).content.decode()
    assert "Scores go from 1 to 7." in page


@pytest.mark.parametrize("period", ["abc", "1.5", "²", "99999999999999999999", "-1"])
def test_a_malformed_period_is_refused_on_the_ranking_and_the_release(client, funder, at_panel, admin, period):
    call = at_panel[0].call
    client.force_login(admin)
    decide(client, funder, at_panel[0], outcome="granted", amount="400000")
    assert client.get(reverse("review:ranking", args=[funder.slug, call.slug]), {"period": period}).status_code == 404
    for url in (reverse("review:ranking_export", args=[funder.slug, call.slug, "csv"]),):
        assert client.get(url, {"period": period}).status_code == 404
    assert client.post(reverse("review:release", args=[funder.slug, call.slug]), {"period": period}).status_code == 404
    with scope(funder=funder):
        assert Decision.objects.get(application=at_panel[0]).released_at is None


def test_the_running_sum_leaves_out_declined_applications_and_counts_grants_at_their_amount(client, funder, at_panel, admin):
    client.force_login(admin)
    decide(client, funder, at_panel[0], outcome="declined", reason="The need is not shown.")
    decide(client, funder, at_panel[1], outcome="granted", amount="350000")
    rows = client.get(reverse("review:ranking", args=[funder.slug, at_panel[0].call.slug])).context["rows"]
    sums = {row.application.title: int(row.running_sum) for row in rows}
    assert sums == {"Textilsvinn": 0, "IVA-dagboken": 350_000, "Robyn": 650_000}  # 350 000 granted + 300 000 applied for


def test_the_decision_page_offers_only_real_outcomes_and_summarises_the_reviews(client, funder, at_panel, panel, admin):
    from review.models import Assignment
    from review.services import assignment_declare, assignments_auto, review_save

    with scope(funder=funder):
        assignments_auto(applications=at_panel[:1], per_application=2, by=admin)
        need, benefit = at_panel[0].call.criteria.all()
        for assignment, (first, second) in zip(Assignment.objects.order_by("pk"), ((7, 5), (5, 5))):
            assignment_declare(assignment=assignment, has_conflict=False)
            review_save(assignment=assignment, recommendation="fund", comment=f"Scored {first} on need",
                        submit=True, scores={str(need.pk): {"score": first, "comment": ""},
                                             str(benefit.pk): {"score": second, "comment": ""}})
    client.force_login(admin)
    page = client.get(reverse("review:decision", args=[funder.slug, at_panel[0].call.slug, at_panel[0].pk])).content.decode()
    assert "---------" not in page
    assert "2 reviews submitted; weighted total 5.6 on average." in page  # (6.2 + 5.0) / 2
    assert "Scored 7 on need" in page and "Scored 5 on need" in page



def test_a_release_takes_an_application_from_the_panel_to_the_decision_in_one_recorded_move(funder, admin):
    """The pipeline has a dialogue after the panel; an application decided at the panel never entered the dialogue,
    and its history does not say it did."""
    K = Stage.Kind
    call = CallFactory(fund__funder=funder, budget=1_000_000)
    with scope(funder=funder):
        call_set_pipeline(call=call, stages=[(K.SCREENING, "Screening"), (K.PANEL, "Panel"), (K.DIALOGUE, "Dialogue"),
                                             (K.DECISION, "Decision")])
        application = ApplicationFactory(call=call, state=State.SUBMITTED, amount_requested=400_000)
        for action in ("start_review", "advance"):
            application_transition(application=application, action=action, by=admin)
        decision_record(application=application, by=admin, outcome=Decision.Outcome.GRANTED, amount=400_000)
        decisions_release(call=call, by=admin)
        moves = [(step.action, step.target_stage.kind) for step in application.transitions.all()]
    assert moves == [("start_review", K.SCREENING), ("advance", K.PANEL), ("to_decision", K.DECISION),
                     ("grant", K.DECISION)]
