"""The ranking of a large call: a page of rows at a time, the funding line always in view, search, filters and sort.

The figures come from the database for the whole call; these stories run alike on SQLite and PostgreSQL.
"""

import re

import pytest
from django.urls import reverse

from applications.lifecycle import State
from calls.models import Stage
from calls.services import call_set_criteria
from fundportal.models import Role
from fundportal.tenancy import scope
from review.models import Review
from review.services import assignment_create, assignment_declare, review_save
from tests.factories import ApplicationFactory, staff

pytestmark = pytest.mark.django_db


def at_the_panel(call, count, amount, **fields):
    """``count`` applications of ``call`` at its panel stage, each applying for ``amount``, by case number."""
    with scope(funder=call.funder):
        panel = call.stages.get(kind=Stage.Kind.PANEL)
    return [ApplicationFactory(call=call, state=State.IN_REVIEW, current_stage=panel, amount_requested=amount,
                               case_number=f"RS-IF-2026-{n:04d}", **fields) for n in range(1, count + 1)]


def reviewed(application, reviewer, need, benefit, recommendation="fund"):
    """``reviewer`` declares impartiality and submits a review of ``application`` scoring need and benefit."""
    with scope(funder=application.funder):
        assignment = assignment_create(application=application, reviewer=reviewer, by=staff(application.funder))
        assignment_declare(assignment=assignment, has_conflict=False)
        need_criterion, benefit_criterion = application.call.criteria.all()
        review_save(assignment=assignment, recommendation=recommendation, comment="", submit=True, scores={
            str(need_criterion.pk): {"score": need, "comment": ""}, str(benefit_criterion.pk): {"score": benefit, "comment": ""}})


def ranking(client, call, **query):
    return client.get(reverse("review:ranking", args=[call.funder.slug, call.slug]), query)


def shown(response):
    return [row.application.title for row in response.context["rows"]]


def test_the_funding_line_is_shown_on_the_page_where_the_running_sum_crosses_the_budget(client, funder, panel_call):
    at_the_panel(panel_call, 70, 18_000)  # 55 × 18 000 = 990 000 fits the 1 000 000; the 56th passes it
    client.force_login(staff(funder, Role.ADMINISTRATOR))

    first = ranking(client, panel_call)
    page = first.content.decode()
    assert len(first.context["rows"]) == 50 and "Page 1 of 2" in page and "Applications 1–50 of 70." in page
    assert "The funding line falls above rank 56: the applications ranked above it add up to SEK\xa0990,000" in page
    assert 'href="?page=2#funding-line">Jump to the funding line</a>' in page
    assert 'id="funding-line"' not in page

    second = ranking(client, panel_call, page=2).content.decode()
    assert "The funding line falls above rank 56" in second  # the summary stays on every page
    line, rank_56 = second.index('id="funding-line"'), second.index("<td>56</td>")
    assert second.index("<td>55</td>") < line < rank_56
    assert [int(row.running_sum) for row in ranking(client, panel_call, page=2).context["rows"]][4:7] == [
        990_000, 1_008_000, 1_026_000]


def test_a_filter_keeps_only_matching_applications_and_the_funding_line_is_computed_on_the_whole_call(
        client, funder, at_panel, panel):
    textilsvinn, iva, robyn = at_panel  # 450 000, 400 000 and 300 000 applied for; the budget is 1 000 000
    reviewed(textilsvinn, panel[0], 7, 7)
    reviewed(textilsvinn, panel[1], 6, 6)
    reviewed(iva, panel[0], 7, 7)
    reviewed(iva, panel[1], 1, 1, recommendation="reject")
    reviewed(robyn, panel[0], 4, 4, recommendation="maybe")
    robyn.theme = "Hälsa"
    robyn.save()
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    call = robyn.call
    call.themes = ["Hälsa", "Energi"]
    call.save()

    response = ranking(client, call, theme="Hälsa")
    assert shown(response) == ["Robyn"]
    row = response.context["rows"][0]
    assert (row.rank, int(row.running_sum)) == (3, 1_150_000)  # third in the whole call, after 450 000 and 400 000
    assert "The funding line falls above rank 3" in response.content.decode()
    assert 'id="funding-line"' in response.content.decode()  # Robyn is below it

    assert shown(ranking(client, call, q="RS-IF-2026-0002")) == ["IVA-dagboken"]
    assert shown(ranking(client, call, q="textil")) == ["Textilsvinn"]
    assert shown(ranking(client, call, disagreement="yes")) == ["IVA-dagboken"]  # 7 and 1: a spread of 3
    assert shown(ranking(client, call, recommendation="reject")) == ["IVA-dagboken"]
    assert shown(ranking(client, call, recommendation="maybe", application_type="new")) == ["Robyn"]
    assert shown(ranking(client, call, decided="yes")) == []
    assert "No application in the ranking matches this search and these filters." in ranking(
        client, call, decided="yes").content.decode()
    assert shown(ranking(client, call, decided="no")) == ["Textilsvinn", "IVA-dagboken", "Robyn"]


def test_the_rows_show_means_median_and_spread_of_the_submitted_reviews(client, funder, at_panel, panel):
    textilsvinn = at_panel[0]
    for reviewer, score in zip(panel, (7, 6, 1)):
        reviewed(textilsvinn, reviewer, score, score)
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    row = next(row for row in ranking(client, textilsvinn.call).context["rows"] if row.application == textilsvinn)
    assert (row.total, row.median, row.deviation, row.disagreement) == (4.67, 6.0, 2.62, True)
    assert (row.criterion_means, row.done, row.expected) == ([4.67, 4.67], 3, 3)


def test_sorting_by_a_criterion_puts_the_best_mean_first_and_keeps_each_rank(client, funder, at_panel, panel):
    textilsvinn, iva, robyn = at_panel
    reviewed(textilsvinn, panel[0], 7, 1)  # need 7 × 60 % + benefit 1 × 40 %: 4.6
    reviewed(iva, panel[0], 2, 7)  # 4.0, the best benefit
    reviewed(robyn, panel[0], 3, 3)
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    with scope(funder=funder):
        benefit = textilsvinn.call.criteria.get(weight=40)
    response = ranking(client, textilsvinn.call, sort=f"criterion-{benefit.pk}")
    assert shown(response) == ["IVA-dagboken", "Robyn", "Textilsvinn"]
    assert [row.rank for row in response.context["rows"]] == [2, 3, 1]
    assert 'href="?page=1#funding-line"' in response.content.decode()  # the line is a place in the ranking's order
    assert shown(ranking(client, textilsvinn.call, sort="amount")) == ["Textilsvinn", "IVA-dagboken", "Robyn"]


@pytest.mark.parametrize("query", [{"sort": "title; DROP TABLE x"}, {"sort": "criterion-999999"}, {"page": "abc"},
                                   {"page": "99999999999999999999"}, {"q": "x" * 500}, {"theme": "Atlantis"},
                                   {"disagreement": "maybe"}, {"decided": ["yes", "no"]}, {"application_type": "x"}])
def test_an_unknown_sort_key_falls_back_to_the_ranking_order(client, funder, at_panel, panel, query):
    reviewed(at_panel[1], panel[0], 7, 7)  # IVA-dagboken first, then the others by case number
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    response = ranking(client, at_panel[0].call, **query)
    assert response.status_code == 200
    assert shown(response) == ["IVA-dagboken", "Textilsvinn", "Robyn"]
    assert '<option value="rank" selected>Weighted total</option>' in response.content.decode()


def test_the_ranking_costs_the_same_queries_for_one_application_as_for_seventy(
        client, funder, panel_call, panel, django_assert_max_num_queries):
    applications = at_the_panel(panel_call, 70, 1_200_000)  # the funding line above the first
    reviewed(applications[0], panel[0], 5, 4)
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    with scope(funder=funder):
        for application in applications[1:]:
            application.state = State.DRAFT  # not at the panel: left out of the ranking
            application.save()
    with django_assert_max_num_queries(25) as one:
        assert len(ranking(client, panel_call, q="RS-IF", sort="median").context["rows"]) == 1
    with scope(funder=funder):
        for application in applications[1:]:
            application.state = State.IN_REVIEW
            application.save()
    for application, reviewer in zip(applications[1:40], panel * 13):
        reviewed(application, reviewer, 6, 3)
    with django_assert_max_num_queries(25) as many:
        page = ranking(client, panel_call, q="RS-IF", sort="median").content.decode()
    assert len(many) == len(one)
    assert re.search(r"Page 1 of 2", page)


def test_a_review_stores_the_weighted_score_its_criteria_give_and_keeps_it_when_saved_again_or_reweighed(
        client, funder, panel_call, panel):
    application, = at_the_panel(panel_call, 1, 100_000)
    with scope(funder=funder):
        need, benefit = panel_call.criteria.all()  # weighing 60 and 40
        assignment = assignment_create(application=application, reviewer=panel[0], by=staff(funder))
        assignment_declare(assignment=assignment, has_conflict=False)
        review_save(assignment=assignment, recommendation="", comment="", submit=False,
                    scores={str(need.pk): {"score": 5, "comment": ""}})
        assert Review.objects.get().weighted_score == 5 * 60  # the unscored benefit counts nothing yet
        review_save(assignment=assignment, recommendation="fund", comment="", submit=True,
                    scores={str(need.pk): {"score": 5, "comment": ""}, str(benefit.pk): {"score": 2, "comment": ""}})
        assert Review.objects.get().weighted_score == 5 * 60 + 2 * 40
        call_set_criteria(call=panel_call, criteria=[{"id": need.pk, "name": need.name, "weight": 20},
                                                     {"id": benefit.pk, "name": benefit.name, "weight": 80}])
        assert Review.objects.get().weighted_score == 5 * 20 + 2 * 80
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    assert ranking(client, panel_call).context["rows"][0].total == 2.6  # (5 × 20 + 2 × 80) / 100
