"""A call with a screening → panel → decision pipeline, a checklist, criteria and submitted applications."""

import pytest

from applications.lifecycle import State
from applications.services import application_transition
from calls.services import call_set_checklist, call_set_criteria, call_set_pipeline
from fundportal.models import Role
from fundportal.tenancy import scope
from calls.models import Stage
from tests.factories import ApplicationFactory, CallFactory, FundFactory, UserFactory, staff

K = Stage.Kind


@pytest.fixture
def panel_call(funder):
    call = CallFactory(fund=FundFactory(funder=funder, code="IF"), slug="innovationsfonden", budget=1_000_000,
                       score_min=1, score_max=7)
    with scope(funder=funder):
        call_set_pipeline(call=call, stages=[(K.SCREENING, "Förhandsgranskning"), (K.PANEL, "Expertgrupp"), (K.DECISION, "Beslut")])
        call_set_criteria(call=call, criteria=[({"en": "Need"}, 60), ({"en": "Benefit"}, 40)])
        call_set_checklist(call=call, items=[{"en": "Eligible applicant"}, {"en": "Manager approval present"}])
    return call


@pytest.fixture
def submitted(funder, panel_call):
    """Three submitted applications with case numbers and amounts."""
    return [ApplicationFactory(call=panel_call, state=State.SUBMITTED, case_number=f"RS-IF-2026-000{n}",
                               title=title, amount_requested=amount)
            for n, (title, amount) in enumerate([("Textilsvinn", 450_000), ("IVA-dagboken", 400_000),
                                                 ("Robyn", 300_000)], start=1)]


@pytest.fixture
def panel(funder):
    return [staff(funder, Role.PANEL_MEMBER, user__email=f"panel{n}@example.se") for n in range(1, 4)]


@pytest.fixture
def at_panel(funder, submitted):
    """The submitted applications moved through screening to the panel stage."""
    screener = staff(funder, Role.SCREENER)
    with scope(funder=funder):
        for application in submitted:
            application_transition(application=application, action="start_review", by=screener)
            application_transition(application=application, action="advance", by=screener)
            application.refresh_from_db()
    return submitted


@pytest.fixture
def outsider(db):
    return UserFactory()
