"""Searching the screening queue and the ranking: by the words of a title, part of a case number or the applicant's
email address or last name. On PostgreSQL it is full-text search on an indexed expression, elsewhere
``icontains``; these stories give the same rows on both (the normal suite runs them on SQLite, the ``services`` run
on PostgreSQL), and the last ones show PostgreSQL's path and its index."""

import pytest
from django.db import connection
from django.urls import reverse

from applications.models import Application
from fundportal.models import Role
from fundportal.search import text_search
from fundportal.tenancy import scope, scopes_disabled
from review.selectors import screening_queue
from tests.conftest import service_unavailable
from tests.factories import staff

pytestmark = pytest.mark.django_db

HOSTILE = ["energi & | ! :* (", "'); DROP TABLE x; --", "a:b <-> c", "\\", "*"]


def found_in_queue(client, funder, search):
    client.force_login(staff(funder, Role.SCREENER))
    response = client.get(reverse("review:queue", args=[funder.slug]), {"search": search})
    assert response.status_code == 200
    return sorted(application.title for application in response.context["object_list"])


def found_in_ranking(client, funder, call, search):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    response = client.get(reverse("review:ranking", args=[funder.slug, call.slug]), {"q": search})
    assert response.status_code == 200
    return [row.application.title for row in response.context["rows"]]


def test_the_queue_finds_a_word_of_the_title_its_beginning_a_case_number_or_the_applicants_email(
        client, funder, submitted):
    textilsvinn, iva, robyn = submitted
    assert found_in_queue(client, funder, "Textilsvinn") == ["Textilsvinn"]
    assert found_in_queue(client, funder, "dagboken") == ["IVA-dagboken"]  # a word after a hyphen
    assert found_in_queue(client, funder, "textil") == ["Textilsvinn"]  # the beginning of a word, in any case
    assert found_in_queue(client, funder, "2026-0003") == ["Robyn"]  # part of the case number
    assert found_in_queue(client, funder, robyn.applicant.email.upper()) == ["Robyn"]
    assert found_in_queue(client, funder, "Nowhere") == []


def test_query_syntax_in_the_queues_search_is_only_text_that_no_title_holds(client, funder, submitted):
    for search in HOSTILE:
        assert found_in_queue(client, funder, search) == [], search


def test_query_syntax_in_the_rankings_search_is_only_text_that_no_title_holds(client, funder, at_panel, panel_call):
    for search in HOSTILE:
        assert found_in_ranking(client, funder, panel_call, search) == [], search


def test_the_ranking_finds_a_word_of_the_title_or_a_case_number(client, funder, at_panel, panel_call):
    assert found_in_ranking(client, funder, panel_call, "robyn") == ["Robyn"]
    assert found_in_ranking(client, funder, panel_call, "IVA") == ["IVA-dagboken"]
    assert found_in_ranking(client, funder, panel_call, "-0001") == ["Textilsvinn"]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        service_unavailable("full-text search needs PostgreSQL (set DATABASE_URL)")


@pytest.mark.services
def test_on_postgresql_the_queue_searches_the_titles_words_in_full_text(postgresql, funder, submitted):
    with scope(funder=funder):
        query = str(screening_queue(search="Robyn").query)
    assert "to_tsvector" in query and "@@" in query
    assert "LIKE" in query  # the case number and the email address are still compared as text


@pytest.mark.services
def test_on_postgresql_the_title_search_can_use_its_gin_index(postgresql, submitted):
    with scopes_disabled():
        searched = Application.objects.filter(text_search(Application, "Textilsvinn", words=("title",))).values("pk")
        sql, params = searched.query.sql_with_params()
        with connection.cursor() as cursor:
            # three rows: leave the planner only bitmap scans, so it shows the index it has for the words
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "applications_title_search" in plan, plan
