"""Saving a set-up page unchanged changes nothing: the page is submitted exactly as a browser renders it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from calls.models import Call, CallChange, Question, Section, Stage
from calls.services import (
    call_publish, call_set_checklist, call_set_criteria, call_set_eligibility, call_set_periods, call_set_pipeline,
)
from fundportal.tenancy import scope
from tests.factories import CallFactory, staff
from tests.html_forms import form_as_rendered

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")
K = Question.Kind


@pytest.fixture
def published_call(funder):
    """Innovationsfonden as its administrators set it up: every set-up page has something on it."""
    call = CallFactory(
        fund__funder=funder, slug="innovationsfonden-2024", title={"sv": "Innovationsfonden 2024", "en": "Innovation Fund 2024"},
        summary={"sv": "15 miljoner kronor om året.\nTill projekt som skapar nytta."},
        description={"sv": "Första stycket.\n\nAndra stycket."}, application_types=["new", "continuation"],
        themes=["Hälso- och sjukvård", "Trafik"], eligible_cost_categories=["personnel", "direct_costs"],
        requires_manager_approval=True, reminder_days=14,
    )
    with scope(funder=funder):
        call_set_periods(call=call, periods=[
            {"name": {"sv": "Ansökningsperiod 1"}, "opens_at": datetime(2023, 9, 20, tzinfo=STOCKHOLM),
             "closes_at": datetime(2023, 10, 23, 23, 59, tzinfo=STOCKHOLM), "decision_week": 1},
            {"opens_at": datetime(2024, 1, 1, tzinfo=STOCKHOLM), "closes_at": datetime(2024, 2, 2, 23, 59, tzinfo=STOCKHOLM),
             "decision_by": date(2024, 4, 19)},
        ])
        call_set_criteria(call=call, criteria=[
            {"name": {"sv": "Väsentligt behov"}, "weight": 60, "guidance": {"sv": "Vems behov?\nHur stort är det?"},
             "score_guidance": {"1": {"sv": "Inget behov visas"}, "7": {"sv": "Ett väl belagt behov", "en": "A well-documented need"}}},
            ({"sv": "Nytta", "en": "Benefit"}, 40),
        ])
        call_set_pipeline(call=call, stages=[(Stage.Kind.SCREENING, "Förhandsgranskning"), (Stage.Kind.PANEL, "Expertgrupp"),
                                             (Stage.Kind.DECISION, "Beslut")])
        call_set_checklist(call=call, items=[{"sv": "Ansökan är komplett"}, {"sv": "Chefens godkännande finns"}])
        call_set_eligibility(call=call, questions=[
            {"text": {"sv": "Arbetar du minst 50 % inom Region Stockholm?"}, "eligible_answer": True,
             "reason_if_not": {"sv": "Fonden är öppen för den som arbetar minst halvtid i regionen.\nLäs mer på webben."}},
            {"text": {"sv": "Tar du innovationen utanför regionen?"}, "eligible_answer": False,
             "reason_if_not": {"sv": "Resultatet ska ägas av Region Stockholm."}},
        ])
        section = Section.objects.create(funder=funder, call=call, position=1, title={"sv": "Projektet"})
        for position, (kind, settings) in enumerate([
            (K.SHORT_TEXT, {"max_chars": 150}),
            (K.LONG_TEXT, {"max_chars": 6000, "max_words": 300}),
            (K.NUMBER, {"min_value": 1.0, "max_value": 12.5}),
            (K.SINGLE_CHOICE, {"choices": ["Hälso- och sjukvård", "Trafik"]}),
            (K.FILE, {"allowed_types": ["pdf"], "max_size_mb": 10}),
            (K.BUDGET, {"cost_categories": ["personnel", "direct_costs"], "financiers": ["Region Stockholm", "Egen insats"],
                        "funder_row": "Region Stockholm", "years": 2}),
            (K.PARTICIPANTS, {"minimum": 1}),
            (K.DATE, {"project_date": "start"}),
            (K.DECLARATION, {}),
        ]):
            Question.objects.create(funder=funder, section=section, position=position, kind=kind, settings=settings,
                                    label={"sv": f"Fråga {position}"}, help_text={"sv": "Skriv kort.\nHögst en sida."},
                                    required=position % 2 == 0)
        call_publish(call=call, by=staff(funder))
    return call


def stored(call):
    """Everything the set-up pages write, with ids: a changed, re-created or added row shows."""
    with scope(funder=call.funder):
        return {
            "call": model_to_dict(Call.objects.get(pk=call.pk)),
            "periods": list(call.periods.values()),
            "criteria": list(call.criteria.values()),
            "eligibility": list(call.eligibility_questions.values()),
            "stages": list(call.stages.values()),
            "checklist": list(call.checklist.values()),
            "questions": list(Question.objects.filter(section__call=call).values()),
            "history": list(CallChange.objects.filter(call=call).values()),
        }


def save_unchanged(client, url):
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, form_as_rendered(page))


SETUP_PAGES = ["manage_call", "manage_periods", "manage_criteria", "manage_eligibility", "manage_pipeline", "manage_checklist"]


@pytest.mark.parametrize("page", SETUP_PAGES)
def test_saving_a_set_up_page_unchanged_changes_nothing_and_writes_no_history(client, funder, published_call, page):
    client.force_login(staff(funder))
    before = stored(published_call)
    response = save_unchanged(client, reverse(f"calls:{page}", args=[funder.slug, published_call.slug]))
    assert response.status_code == 302, response.context and response.context.get("form", response.context.get("formset")).errors
    assert stored(published_call) == before


@pytest.mark.parametrize("position", range(9))
def test_saving_a_question_unchanged_changes_nothing_and_writes_no_history(client, funder, published_call, position):
    client.force_login(staff(funder))
    with scope(funder=funder):
        question = Question.objects.get(section__call=published_call, position=position)
    before = stored(published_call)
    response = save_unchanged(client, reverse("calls:manage_question", args=[
        funder.slug, published_call.slug, question.section_id, question.pk]))
    assert response.status_code == 302, response.context["form"].errors
    assert stored(published_call) == before
