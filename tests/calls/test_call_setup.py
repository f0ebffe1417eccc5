"""Administrators set calls up; the set-up refuses what makes no sense, with a clear message."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from calls.models import CallChange, Question, Stage
from calls.services import (
    call_copy, call_publish, call_set_criteria, call_set_periods, call_set_pipeline, call_update,
)
from fundportal.tenancy import scope
from tests.factories import CallFactory, make_publishable, staff

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(year, month, day, hour=0):
    return datetime(year, month, day, hour, tzinfo=STOCKHOLM)


@pytest.fixture
def call(funder):
    return CallFactory(fund__funder=funder)


def test_a_period_that_closes_before_it_opens_is_refused(funder, call):
    with scope(funder=funder), pytest.raises(ValidationError, match="must close after it opens"):
        call_set_periods(call=call, periods=[{"opens_at": at(2024, 2, 2), "closes_at": at(2024, 1, 1)}])


def test_overlapping_periods_are_refused(funder, call):
    with scope(funder=funder), pytest.raises(ValidationError, match="may not overlap"):
        call_set_periods(call=call, periods=[
            {"opens_at": at(2023, 9, 20), "closes_at": at(2023, 10, 23)},
            {"opens_at": at(2023, 10, 1), "closes_at": at(2024, 2, 2)},
        ])


def test_innovationsfondens_two_periods_are_accepted(funder, call):
    with scope(funder=funder):
        periods = call_set_periods(call=call, periods=[
            {"opens_at": at(2023, 9, 20), "closes_at": at(2023, 10, 23, 23), "decision_week": 1},
            {"opens_at": at(2024, 1, 1), "closes_at": at(2024, 2, 2, 23), "decision_week": 16},
        ])
    assert [period.decision_week for period in periods] == [1, 16]


def test_criteria_weights_must_add_up_to_100(funder, call):
    with scope(funder=funder), pytest.raises(ValidationError, match="add up to 90"):
        call_set_criteria(call=call, criteria=[({"sv": "Behov"}, 30), ({"sv": "Nytta"}, 60)])


@pytest.mark.parametrize("budget", [0, -100])
def test_a_budget_of_zero_or_less_is_refused(funder, call, budget):
    with scope(funder=funder), pytest.raises(ValidationError, match="more than zero"):
        call_update(call=call, by=staff(funder), budget=budget)


def test_editing_a_published_call_is_audited(funder, call):
    admin = staff(funder)
    with scope(funder=funder):
        call_update(call=call, by=admin, budget=1_000_000)
        assert not CallChange.objects.exists()  # drafts are not audited
        call_publish(call=make_publishable(call), by=admin)
        call_update(call=call, by=admin, budget=2_000_000)
        change = CallChange.objects.get()
    assert change.by == admin and change.summary == "budget"
    assert change.changes == {"budget": ["1000000", "2000000"]}


def test_copying_a_call_brings_its_form_criteria_and_pipeline_and_moves_the_periods_a_year(funder, call):
    from calls.models import Section

    with scope(funder=funder):
        call_set_periods(call=call, periods=[{"opens_at": at(2023, 9, 20), "closes_at": at(2023, 10, 23)}])
        call_set_criteria(call=call, criteria=[({"sv": "Behov"}, 60), ({"sv": "Nytta"}, 40)])
        call_set_pipeline(call=call, stages=[(Stage.Kind.SCREENING, "Förhandsgranskning"), (Stage.Kind.DECISION, "Beslut")])
        section = Section.objects.create(funder=funder, call=call, title={"sv": "Projektet"})
        Question.objects.create(funder=funder, section=section, kind=Question.Kind.LONG_TEXT, label={"sv": "Syfte"},
                                settings={"max_words": 300})
        call_publish(call=call, by=staff(funder))

        copy = call_copy(call=call, slug="innovationsfonden-2025", title={"sv": "Innovationsfonden 2025"})

        assert copy.published_at is None
        assert [c.weight for c in copy.criteria.all()] == [60, 40]
        assert [s.kind for s in copy.stages.all()] == [Stage.Kind.SCREENING, Stage.Kind.DECISION]
        assert copy.periods.get().opens_at == at(2023, 9, 20) + timedelta(days=365)
        question = Question.objects.get(section__call=copy)
        assert (question.label, question.settings) == ({"sv": "Syfte"}, {"max_words": 300})
        assert Question.objects.filter(section__call=call).count() == 1


def test_a_call_is_draft_then_published_then_open_then_closed_then_archived(funder, call):
    from calls.models import Call
    from calls.services import call_archive

    with scope(funder=funder):
        call_set_periods(call=call, periods=[{"opens_at": at(2024, 1, 1), "closes_at": at(2024, 2, 2)}])
        periods = list(call.periods.all())
        assert call.status_at(at(2023, 12, 1), periods) == Call.Status.DRAFT
        call_publish(call=make_publishable(call), by=staff(funder))
        assert call.status_at(at(2023, 12, 1), periods) == Call.Status.PUBLISHED
        assert call.status_at(at(2024, 1, 15), periods) == Call.Status.OPEN
        assert call.status_at(at(2024, 3, 1), periods) == Call.Status.CLOSED
        call_archive(call=call, by=staff(funder))
        assert call.status_at(at(2024, 1, 15), periods) == Call.Status.ARCHIVED
