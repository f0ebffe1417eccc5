"""A call is published only when applicants can use it; otherwise the administrator is told what it lacks."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from calls.services import call_publish, call_set_criteria, call_set_pipeline
from fundportal.tenancy import scope
from calls.models import Stage
from tests.factories import CallFactory, make_publishable, staff

pytestmark = pytest.mark.django_db


def publish_on_the_page(client, call):
    return client.post(reverse("calls:manage_action", args=[call.funder.slug, call.slug, "publish"]), follow=True)


def test_an_empty_call_is_not_published_and_the_administrator_reads_everything_it_lacks(client, funder):
    call = CallFactory(fund__funder=funder, budget=0)
    client.force_login(staff(funder))
    page = publish_on_the_page(client, call).content.decode()
    assert "The call cannot be published yet. It still needs:" in page
    for missing in ("a budget of more than zero", "at least one application period",
                    "an application form with at least one question", "a review pipeline (its review stages)"):
        assert missing in page
    assert "The call is published." not in page
    with scope(funder=funder):
        call.refresh_from_db()
    assert call.published_at is None and call.announced_at is None
    assert client.get(reverse("calls:call_detail", args=[funder.slug, call.slug])).status_code == 404


def test_a_call_with_a_panel_needs_criteria_before_it_is_published(client, funder):
    call = make_publishable(CallFactory(fund__funder=funder))
    with scope(funder=funder):
        call_set_pipeline(call=call, stages=[(Stage.Kind.SCREENING, "Förhandsgranskning"), (Stage.Kind.PANEL, "Expertgrupp"),
                                             (Stage.Kind.DECISION, "Beslut")])
    client.force_login(staff(funder))
    page = publish_on_the_page(client, call).content.decode()
    assert "assessment criteria for the panel" in page
    with scope(funder=funder):
        call_set_criteria(call=call, criteria=[({"sv": "Behov"}, 60), ({"sv": "Nytta"}, 40)])
    page = publish_on_the_page(client, call).content.decode()
    assert "The call is published." in page


def test_a_complete_call_without_a_panel_is_published_without_criteria(funder):
    call = make_publishable(CallFactory(fund__funder=funder))
    with scope(funder=funder):
        call_publish(call=call, by=staff(funder))
        call.refresh_from_db()
    assert call.published_at is not None


def test_the_service_refuses_an_incomplete_call_too(funder):
    call = CallFactory(fund__funder=funder)
    with scope(funder=funder), pytest.raises(ValidationError, match="at least one application period"):
        call_publish(call=call, by=staff(funder))
