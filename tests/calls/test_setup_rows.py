"""Administrators add and remove several rows of a call's set-up in one save; the whole set is checked once."""

import pytest
from django.urls import reverse

from calls.models import Criterion, Stage
from calls.services import call_set_checklist, call_set_criteria, call_set_pipeline
from fundportal.tenancy import scope
from tests.factories import CallFactory, staff
from tests.html_forms import form_as_rendered

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(funder):
    return CallFactory(fund__funder=funder, slug="innovationsfonden-2025")


def url(funder, call, page):
    return reverse(f"calls:{page}", args=[funder.slug, call.slug])


def fill(data, index, **values):
    data.update({f"items-{index}-{name}": [value] for name, value in values.items()})
    return data


def test_two_criteria_are_entered_in_one_save(client, funder, call):
    client.force_login(staff(funder))
    data = form_as_rendered(client.get(url(funder, call, "manage_criteria")))
    fill(data, 0, name_sv="Väsentligt behov", weight="60")
    fill(data, 1, name_sv="Nytta", weight="40")
    assert client.post(url(funder, call, "manage_criteria"), data).status_code == 302
    with scope(funder=funder):
        assert [(c.name, c.weight) for c in call.criteria.all()] == [({"sv": "Väsentligt behov"}, 60), ({"sv": "Nytta"}, 40)]


@pytest.mark.parametrize("page", ["manage_periods", "manage_criteria", "manage_eligibility", "manage_pipeline", "manage_checklist"])
def test_every_set_up_list_offers_empty_rows_and_a_button_for_more(client, funder, call, page):
    client.force_login(staff(funder))
    response = client.get(url(funder, call, page))
    html = response.content.decode()
    assert response.context["formset"].total_form_count() == 2
    assert "data-add-row" in html and "<template data-empty-row>" in html and "js/formset_rows.js" in html
    assert " onclick=" not in html and " onsubmit=" not in html  # no inline handlers: the page works under a strict CSP


def test_without_javascript_add_a_row_gives_one_more_row_and_keeps_what_was_typed(client, funder, call):
    client.force_login(staff(funder))
    data = form_as_rendered(client.get(url(funder, call, "manage_criteria")))
    fill(data, 0, name_sv="Behov", weight="50")
    fill(data, 1, name_sv="Nytta", weight="30")
    response = client.post(url(funder, call, "manage_criteria"), {**data, "add_row": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and response.context["formset"].total_form_count() == 3
    assert 'value="Behov"' in html and 'value="Nytta"' in html
    assert "they must add up to 100 %" not in html  # adding a row is not a save
    data = fill(form_as_rendered(response), 2, name_sv="Unikhet", weight="20")
    assert client.post(url(funder, call, "manage_criteria"), data).status_code == 302
    with scope(funder=funder):
        assert [c.weight for c in call.criteria.all()] == [50, 30, 20]


def test_weights_are_checked_over_the_whole_set_and_a_refusal_keeps_everything_and_stores_nothing(client, funder, call):
    client.force_login(staff(funder))
    data = form_as_rendered(client.get(url(funder, call, "manage_criteria")))
    fill(data, 0, name_sv="Behov", weight="50")
    fill(data, 1, name_sv="Nytta", weight="30")
    response = client.post(url(funder, call, "manage_criteria"), data)
    html = response.content.decode()
    assert "The criteria weights add up to 80 %; they must add up to 100 %." in html
    assert 'value="Behov"' in html and 'value="Nytta"' in html and 'value="30"' in html
    with scope(funder=funder):
        assert not call.criteria.exists()


def test_a_criterion_is_removed_and_another_reweighted_in_one_save_and_the_kept_one_keeps_its_scores(client, funder, call):
    with scope(funder=funder):
        call_set_criteria(call=call, criteria=[({"sv": "Behov"}, 60), ({"sv": "Nytta"}, 40)])
        need, benefit = call.criteria.all()
    client.force_login(staff(funder))
    data = form_as_rendered(client.get(url(funder, call, "manage_criteria")))
    fill(data, 0, DELETE="on")
    fill(data, 1, weight="100", name_sv="Nytta för patienter")
    assert client.post(url(funder, call, "manage_criteria"), data).status_code == 302
    with scope(funder=funder):
        assert list(call.criteria.values_list("pk", "name", "weight")) == [(benefit.pk, {"sv": "Nytta för patienter"}, 100)]
        assert not Criterion.objects.filter(pk=need.pk).exists()


def test_two_stages_are_added_in_one_save_and_the_stage_assignments_refer_to_is_kept(client, funder, call):
    with scope(funder=funder):
        call_set_pipeline(call=call, stages=[(Stage.Kind.SCREENING, "Förhandsgranskning")])
        screening = call.stages.get()
    client.force_login(staff(funder))
    data = form_as_rendered(client.get(url(funder, call, "manage_pipeline")))
    fill(data, 1, kind="panel", name="Expertgrupp")
    fill(data, 2, kind="decision", name="Beslut")
    assert client.post(url(funder, call, "manage_pipeline"), data).status_code == 302
    with scope(funder=funder):
        assert [(s.kind, s.name) for s in call.stages.all()] == [
            ("screening", "Förhandsgranskning"), ("panel", "Expertgrupp"), ("decision", "Beslut")]
        assert call.stages.get(kind="screening").pk == screening.pk


def test_checklist_items_are_added_two_at_a_time_and_one_removed(client, funder, call):
    with scope(funder=funder):
        call_set_checklist(call=call, items=[{"sv": "Ansökan är komplett"}])
    client.force_login(staff(funder))
    data = form_as_rendered(client.get(url(funder, call, "manage_checklist")))
    fill(data, 0, DELETE="on")
    fill(data, 1, text_sv="Chefens godkännande finns")
    fill(data, 2, text_sv="Inom fondens budgetramar")
    assert client.post(url(funder, call, "manage_checklist"), data).status_code == 302
    with scope(funder=funder):
        assert [item.text for item in call.checklist.all()] == [{"sv": "Chefens godkännande finns"}, {"sv": "Inom fondens budgetramar"}]


def test_two_periods_and_two_eligibility_questions_are_entered_in_one_save_each(client, funder, call):
    client.force_login(staff(funder))
    data = form_as_rendered(client.get(url(funder, call, "manage_periods")))
    fill(data, 0, opens_at="2023-09-20T00:00", closes_at="2023-10-23T23:59", decision_week="1")
    fill(data, 1, opens_at="2024-01-01T00:00", closes_at="2024-02-02T23:59", decision_week="16")
    assert client.post(url(funder, call, "manage_periods"), data).status_code == 302
    data = form_as_rendered(client.get(url(funder, call, "manage_eligibility")))
    fill(data, 0, text_sv="Arbetar du minst halvtid i regionen?", reason_if_not_sv="Bara för anställda.")
    fill(data, 1, text_sv="Tar du innovationen utanför regionen?", reason_if_not_sv="Resultatet ska ägas av regionen.")
    data.pop("items-1-eligible_answer")  # "no" makes one eligible
    assert client.post(url(funder, call, "manage_eligibility"), data).status_code == 302
    with scope(funder=funder):
        assert [p.decision_week for p in call.periods.all()] == [1, 16]
        assert [q.eligible_answer for q in call.eligibility_questions.all()] == [True, False]


def test_each_criterion_carries_guidance_and_what_each_score_means_for_the_panel(client, funder, call):
    client.force_login(staff(funder))
    data = form_as_rendered(client.get(url(funder, call, "manage_criteria")))
    fill(data, 0, name_sv="Behov", weight="100", guidance_sv="Vems behov, och hur stort?",
         score_guidance_sv="1: Inget behov visas\r\n7: Ett väl belagt behov", score_guidance_en="7: A well-documented need")
    assert client.post(url(funder, call, "manage_criteria"), data).status_code == 302
    with scope(funder=funder):
        criterion = call.criteria.get()
    assert criterion.guidance == {"sv": "Vems behov, och hur stort?"}
    assert criterion.score_guidance == {"1": {"sv": "Inget behov visas"}, "7": {"sv": "Ett väl belagt behov", "en": "A well-documented need"}}
    page = client.get(url(funder, call, "manage_criteria")).content.decode()
    assert "1: Inget behov visas\n7: Ett väl belagt behov" in page


def test_a_score_line_without_its_score_is_refused_with_what_to_write(client, funder, call):
    client.force_login(staff(funder))
    data = form_as_rendered(client.get(url(funder, call, "manage_criteria")))
    fill(data, 0, name_sv="Behov", weight="100", score_guidance_sv="Utmärkt")
    page = client.post(url(funder, call, "manage_criteria"), data).content.decode()
    assert "Write each line as a score, a colon and what it means" in page
    with scope(funder=funder):
        assert not call.criteria.exists()
