"""The steering group at #StimuLab: prequalification, dialogue, and its own decision and release."""

import re

import pytest
from django.urls import reverse

from applications.lifecycle import State
from applications.services import application_transition
from calls.services import call_set_criteria, call_set_pipeline
from fundportal.models import Role
from fundportal.tenancy import scope
from calls.models import Stage
from review.models import Decision
from tests.factories import ApplicationFactory, CallFactory, FundFactory, staff

pytestmark = pytest.mark.django_db
K = Stage.Kind


@pytest.fixture
def in_dialogue(funder):
    """Two challenges passed prequalification and wait in the dialogue phase."""
    call = CallFactory(fund=FundFactory(funder=funder, code="SL"), slug="stimulab-2018", budget=10_000_000)
    screener = staff(funder, Role.SCREENER)
    with scope(funder=funder):
        call_set_pipeline(call=call, stages=[(K.SCREENING, "Prekvalifisering"), (K.DIALOGUE, "Dialogfase"),
                                             (K.DECISION, "Styringsgruppen")])
        call_set_criteria(call=call, criteria=[({"en": "User need"}, 100)])
        applications = []
        for number, title in enumerate(("Digital byggesak", "Sammen om ungdom"), start=1):
            application = ApplicationFactory(call=call, state=State.SUBMITTED, title=title, amount_requested=2_000_000,
                                             case_number=f"SL-2018-000{number}")
            application_transition(application=application, action="start_review", by=screener)
            applications.append(application_transition(application=application, action="advance", by=screener))
    return call, applications


@pytest.fixture
def steering(funder):
    return staff(funder, Role.STEERING_MEMBER, user__email="steering@stimulab.example")


def links(page, funder):
    return sorted(set(re.findall(rf'href="(/{funder.slug}/[^"#?]*)', page)))


def test_the_steering_groups_dashboard_says_what_waits_for_its_decision(client, funder, in_dialogue, steering):
    call, _applications = in_dialogue
    client.force_login(steering)
    page = client.get(reverse("funder_dashboard", args=[funder.slug])).content.decode()
    assert "2 applications wait for a decision" in page and "Nothing waits for you" not in page
    assert reverse("review:ranking", args=[funder.slug, call.slug]) in page


def test_the_steering_group_is_shown_no_link_that_refuses_it(client, funder, in_dialogue, steering):
    call, applications = in_dialogue
    client.force_login(steering)
    pages = [reverse("funder_dashboard", args=[funder.slug]), reverse("review:ranking", args=[funder.slug, call.slug]),
             reverse("review:decision", args=[funder.slug, call.slug, applications[0].pk])]
    for url in pages:
        page = client.get(url).content.decode()
        assert "Publish" not in page and "Copy" not in page
        for link in links(page, funder):
            assert client.get(link).status_code == 200, (url, link)


def test_the_steering_group_decides_and_releases_its_decisions(client, funder, in_dialogue, steering):
    call, applications = in_dialogue
    client.force_login(steering)
    for application, outcome in zip(applications, ("granted", "declined")):
        response = client.post(reverse("review:decision", args=[funder.slug, call.slug, application.pk]), {
            "decision-outcome": outcome, "decision-amount": "1500000", "decision-reason": "Not anchored in the leadership"})
        assert response.status_code == 302
    response = client.post(reverse("review:release", args=[funder.slug, call.slug]))
    assert response.status_code == 302
    for application, state in zip(applications, (State.GRANTED, State.DECLINED)):
        application.refresh_from_db()
        assert application.state == state and application.current_stage.kind == K.DECISION
    with scope(funder=funder):
        assert Decision.objects.filter(released_at__isnull=False).count() == 2
