"""An open Innovationsfonden-like call with a small form, for the applying stories."""

from datetime import timedelta

import pytest
from django.utils import timezone

from calls.models import Question, Section
from calls.services import call_publish, call_set_eligibility, call_set_periods, call_set_pipeline
from fundportal.tenancy import scope
from review.models import Stage
from tests.factories import CallFactory, FundFactory, UserFactory, staff


@pytest.fixture
def open_call(funder):
    fund = FundFactory(funder=funder, name="Innovationsfonden", code="IF")
    call = CallFactory(fund=fund, slug="innovationsfonden", title={"en": "Innovation Fund"},
                       application_types=["new", "continuation", "implementation"])
    now = timezone.now()
    with scope(funder=funder):
        call_set_periods(call=call, periods=[{"opens_at": now - timedelta(days=10), "closes_at": now + timedelta(days=10)}])
        call_set_pipeline(call=call, stages=[(Stage.Kind.SCREENING, "Screening"), (Stage.Kind.DECISION, "Decision")])
        call_set_eligibility(call=call, questions=[{
            "text": {"en": "Do you work at least half time in Region Stockholm?"}, "eligible_answer": True,
            "reason_if_not": {"en": "Only people who work at least half time in the region may apply."}}])
        project = Section.objects.create(funder=funder, call=call, position=0, title={"en": "The project"})
        Question.objects.create(funder=funder, section=project, position=0, kind="long_text", label={"en": "Purpose"},
                                settings={"max_words": 5})
        Question.objects.create(funder=funder, section=project, position=1, kind="declaration",
                                label={"en": "The result is owned by Region Stockholm"})
        money = Section.objects.create(funder=funder, call=call, position=1, title={"en": "Money"})
        Question.objects.create(funder=funder, section=money, position=0, kind="budget", label={"en": "Budget"},
                                settings={"cost_categories": ["personnel", "direct_costs"], "years": 2})
        Question.objects.create(funder=funder, section=money, position=1, kind="file", label={"en": "Quote"},
                                required=False, settings={"allowed_types": ["pdf"], "max_size_mb": 1})
        call_publish(call=call, by=staff(funder))
    return call


@pytest.fixture
def applicant(db):
    return UserFactory(email="annika@karolinska.example")
