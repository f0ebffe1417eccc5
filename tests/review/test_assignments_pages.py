"""The assignments page and the reviewer's dashboard of a large call: a page of rows at a time, the filters a fund
administrator assigns thousands of applications with, the panel's load, and the reviewer's done work paged.

The worlds are small; the page sizes are made smaller still, so that a few applications fill several pages.
"""

import datetime

import pytest
from django.urls import reverse

from calls.models import Period
from fundportal.models import Role
from fundportal.tenancy import scope
from review.models import Assignment
from review.services import assignment_create, assignment_declare
from review.views.assignments import AssignmentsView
from review.views.reviewing import ReviewerDashboardView
from tests.factories import UserFactory, staff
from tests.review.test_ranking import at_the_panel, reviewed

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(funder):
    return staff(funder, Role.ADMINISTRATOR)


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(AssignmentsView, "paginate_by", 2)
    monkeypatch.setattr(ReviewerDashboardView, "paginate_by", 2)


def assignments(client, call, **query):
    return client.get(reverse("review:assignments", args=[call.funder.slug, call.slug]), query)


def shown(response):
    return [application.title for application in response.context["applications"]]


def assigned(application, *reviewers):
    with scope(funder=application.funder):
        for reviewer in reviewers:
            assignment_create(application=application, reviewer=reviewer, by=staff(application.funder))


def test_the_page_shows_one_page_of_the_applications_and_how_many_there_are(client, panel_call, admin, small_pages):
    at_the_panel(panel_call, 5, 100_000)
    client.force_login(admin)

    first = assignments(client, panel_call)
    page = first.content.decode()
    assert [application.case_number for application in first.context["applications"]] == [
        "RS-IF-2026-0001", "RS-IF-2026-0002"]
    assert "Applications 1–2 of 5." in page and "Page 1 of 3" in page
    last = assignments(client, panel_call, page=3)
    assert len(shown(last)) == 1 and "Applications 5–5 of 5." in last.content.decode()
    # the list of the hand-assignment form offers the page's applications, not the call's thousands
    offered = [value for value, _label in first.context["assign_form"].fields["application"].choices if value]
    assert offered == [application.pk for application in first.context["applications"]]


def test_search_and_filters_narrow_the_list(client, funder, panel_call, panel, admin):
    with scope(funder=funder):
        spring, autumn = (Period.objects.create(funder=funder, call=panel_call, name={"en": name},
                                                opens_at=datetime.datetime(2026, month, 1, tzinfo=datetime.UTC),
                                                closes_at=datetime.datetime(2026, month, 28, tzinfo=datetime.UTC))
                          for name, month in (("Spring", 3), ("Autumn", 9)))
    panel_call.themes = ["Health", "Climate"]
    panel_call.reviewers_per_application = 2
    panel_call.save()
    health = at_the_panel(panel_call, 2, 100_000, theme="Health", period=spring)
    climate = at_the_panel(panel_call, 1, 100_000, theme="Climate", period=autumn, title="Solar roofs")
    climate[0].case_number = "RS-IF-2026-0099"
    climate[0].applicant = UserFactory(email="ada.lovelace@example.se", last_name="Lovelace")
    climate[0].save()
    assigned(health[0], panel[0], panel[1])
    assigned(health[1], panel[0])
    client.force_login(admin)

    assert shown(assignments(client, panel_call, q="0099")) == ["Solar roofs"]
    assert shown(assignments(client, panel_call, q="solar")) == ["Solar roofs"]
    assert shown(assignments(client, panel_call, q="lovelace")) == ["Solar roofs"]
    assert shown(assignments(client, panel_call, theme="Climate")) == ["Solar roofs"]
    assert shown(assignments(client, panel_call, period=autumn.pk)) == ["Solar roofs"]
    assert shown(assignments(client, panel_call, coverage="full")) == [health[0].title]
    assert shown(assignments(client, panel_call, coverage="needs")) == [health[1].title, "Solar roofs"]
    assert shown(assignments(client, panel_call, reviewer=panel[1].pk)) == [health[0].title]
    assert shown(assignments(client, panel_call, sort="fewest")) == ["Solar roofs", health[1].title, health[0].title]

    nothing = assignments(client, panel_call, theme="Health", q="solar").content.decode()
    assert "No application matches this search and these filters." in nothing
    assert "Assign automatically" in nothing  # the forms stay: the filter may be the only thing in the way


def test_refused_query_values_show_and_apply_their_defaults(client, panel_call, admin):
    at_the_panel(panel_call, 3, 100_000)
    client.force_login(admin)
    response = assignments(client, panel_call, coverage="most", sort="'; DROP TABLE x", reviewer="abc",
                           period="99999999999999999999", theme="Nowhere", q="x" * 300, page="many")
    assert response.status_code == 200 and len(shown(response)) == 3
    form = response.context["filter_form"]
    assert form.is_valid() and not response.context["filtered"]
    assert {name: form.cleaned_data[name] for name in ("coverage", "sort", "reviewer", "period", "theme", "q")} == {
        "coverage": "", "sort": "", "reviewer": None, "period": None, "theme": "", "q": ""}


def test_the_load_summary_counts_each_panel_members_work_in_this_call(client, funder, panel_call, panel, admin):
    first, second, third = at_the_panel(panel_call, 3, 100_000)
    reviewed(first, panel[0], 5, 4)
    reviewed(second, panel[0], 3, 3)
    assigned(third, panel[0], panel[1])
    with scope(funder=funder):
        assignment_declare(assignment=Assignment.objects.get(application=third, reviewer=panel[1]),
                           has_conflict=True, note="My sister runs the project.")
    client.force_login(admin)

    response = assignments(client, panel_call)
    loads = {load.reviewer.email: (load.assigned, load.submitted, load.outstanding, load.conflicts)
             for load in response.context["loads"]}
    assert loads == {"panel1@example.se": (3, 2, 1, 0), "panel2@example.se": (0, 0, 0, 1),
                     "panel3@example.se": (0, 0, 0, 0)}
    page = response.content.decode()
    assert "load in this call" in page
    assert f'href="?reviewer={panel[0].pk}"' in page


def test_an_assignment_by_hand_returns_to_the_same_page_and_filters(client, panel_call, panel, admin, small_pages):
    applications = at_the_panel(panel_call, 5, 100_000)
    client.force_login(admin)
    url = reverse("review:assignments", args=[panel_call.funder.slug, panel_call.slug]) + "?coverage=needs&page=2"

    response = client.post(url, {"application": applications[4].pk, "reviewer": panel[0].pk})  # not on page 2
    assert response.status_code == 302 and response["Location"] == url
    with scope(funder=panel_call.funder):
        assert Assignment.objects.filter(application=applications[4], reviewer=panel[0]).exists()

    refused = client.post(url, {"application": applications[4].pk})
    assert refused.status_code == 200 and shown(refused) == [applications[2].title, applications[3].title]


def test_an_automatic_assignment_returns_to_the_same_page_and_filters(client, panel_call, panel, admin):
    at_the_panel(panel_call, 3, 100_000)
    client.force_login(admin)
    url = reverse("review:assignments", args=[panel_call.funder.slug, panel_call.slug]) + "?sort=fewest&q=RS-IF"

    response = client.post(url, {"auto": "", "per_application": 2})
    assert response.status_code == 302 and response["Location"] == url
    with scope(funder=panel_call.funder):
        assert Assignment.objects.count() == 6


def test_the_empty_page_says_what_to_do_next(client, funder, panel_call, admin):
    client.force_login(admin)
    page = assignments(client, panel_call).content.decode()
    assert "No application is at a panel stage yet." in page
    assert reverse("review:queue", args=[funder.slug]) in page


def test_the_page_costs_the_same_queries_for_one_application_as_for_many(
        client, panel_call, panel, admin, small_pages, django_assert_max_num_queries):
    first, *others = at_the_panel(panel_call, 7, 100_000)
    reviewed(first, panel[0], 5, 4)
    client.force_login(admin)
    with scope(funder=panel_call.funder):
        for application in others:
            application.state = "draft"  # not at the panel: left out
            application.save()
    with django_assert_max_num_queries(25) as one:
        assert len(shown(assignments(client, panel_call, q="RS-IF", sort="fewest"))) == 1
    with scope(funder=panel_call.funder):
        for application in others:
            application.state = "in_review"
            application.save()
    for application in others:
        assigned(application, *panel)
    with django_assert_max_num_queries(25) as many:
        assert len(shown(assignments(client, panel_call, q="RS-IF", sort="fewest"))) == 2
    assert len(many) == len(one)


def test_another_funders_administrator_gets_404(client, other_funder, panel_call):
    at_the_panel(panel_call, 1, 100_000)
    client.force_login(staff(other_funder, Role.ADMINISTRATOR))
    assert assignments(client, panel_call).status_code == 404
    url = reverse("review:assignments", args=[other_funder.slug, panel_call.slug])
    assert client.get(url).status_code == 404


def dashboard(client, funder, **query):
    return client.get(reverse("review:dashboard", args=[funder.slug]), query)


def test_the_dashboard_shows_the_outstanding_work_first_and_pages_the_done(client, funder, panel_call, panel,
                                                                         small_pages):
    applications = at_the_panel(panel_call, 6, 100_000)
    for application in applications[:5]:
        reviewed(application, panel[0], 5, 5)
    assigned(applications[5], panel[0])
    client.force_login(panel[0])

    first = dashboard(client, funder)
    page = first.content.decode()
    assert [a.application for a in first.context["todo"]] == [applications[5]]
    assert page.index(applications[5].case_number) < page.index('id="done-heading"')
    assert "5 reviews submitted, the latest first: 1–2." in page and "Page 1 of 3" in page
    assert [a.application for a in first.context["done"]] == [applications[4], applications[3]]
    last = dashboard(client, funder, page=3)
    assert [a.application for a in last.context["done"]] == [applications[0]]
    assert [a.application for a in last.context["todo"]] == [applications[5]]  # on every page
    assert dashboard(client, funder, page="x").status_code == 200


def test_the_dashboard_costs_the_same_queries_for_one_review_as_for_many(
        client, funder, panel_call, panel, small_pages, django_assert_max_num_queries):
    applications = at_the_panel(panel_call, 6, 100_000)
    reviewed(applications[0], panel[0], 5, 5)
    assigned(applications[1], panel[0])
    client.force_login(panel[0])
    with django_assert_max_num_queries(15) as one:
        dashboard(client, funder)
    for application in applications[2:]:
        reviewed(application, panel[0], 4, 4)
    with django_assert_max_num_queries(15) as many:
        assert len(dashboard(client, funder).context["done"]) == 2
    assert len(many) == len(one)
