"""Bulk decisions on the ranking: grant the applications above the funding line, decline those below it.

Budget 1 000 000; without reviews the ranking keeps the case numbers' order: Textilsvinn 450 000 and IVA-dagboken
400 000 fit (850 000), Robyn 300 000 passes the budget (1 150 000): the funding line falls above Robyn.
"""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from applications.lifecycle import State
from applications.models import ApplicationTransition
from calls.models import Period
from fundportal.models import Role
from fundportal.tenancy import scope, scopes_disabled
from review import decisions
from review.decisions import decision_record, decisions_record_in_bulk
from review.models import Assignment, BulkDecisionJob, Decision, DecisionChange
from tests.conftest import service_unavailable
from tests.factories import ApplicationFactory, CallFactory, FundFactory, staff
from tests.review.test_concurrency import held_at, together
from tests.review.test_ranking import at_the_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(funder):
    return staff(funder, Role.ADMINISTRATOR, user__email="admin@example.se")


def confirm(client, name, call, query=None, **data):
    """Open the confirmation page ``name`` (with the ranking's ``query``), then press Confirm with what it shows
    (``data`` put in)."""
    url = reverse(name, args=[call.funder.slug, call.slug])
    shown = client.get(url, query or {}).context["form"].initial
    return client.post(url + (f"?{query_string(query)}" if query else ""), {**shown, "reason": "", **data})


def query_string(query):
    return "&".join(f"{key}={value}" for key, value in query.items())


def told(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def decided(funder):
    with scope(funder=funder):
        return {decision.application.title: (decision.outcome, decision.amount, decision.reason)
                for decision in Decision.objects.select_related("application")}


def test_the_ranking_offers_to_grant_above_the_line_and_decline_below_it(client, funder, at_panel, admin):
    client.force_login(admin)
    page = client.get(reverse("review:ranking", args=[funder.slug, at_panel[0].call.slug])).content.decode()
    assert "Grant the 2 applications above the funding line…" in page
    assert "Decline the application below it…" in page
    assert f'href="/{funder.slug}/manage/calls/innovationsfonden/ranking/grant/"' in page


def test_granting_above_the_line_shows_what_it_takes_and_grants_exactly_those(client, funder, at_panel, admin):
    client.force_login(admin)
    call = at_panel[0].call
    page = client.get(reverse("review:grant_above_line", args=[funder.slug, call.slug])).content.decode()
    assert "RS-IF-2026-0001 Textilsvinn" in page and "RS-IF-2026-0002 IVA-dagboken" in page
    assert "Robyn" not in page
    assert "2 applications, together" in page and "SEK\xa0850,000" in page
    assert "Confirm: grant these 2 applications" in page
    assert decided(funder) == {}  # the page only shows

    response = confirm(client, "review:grant_above_line", call)
    assert response.status_code == 302 and response["Location"].endswith("/manage/calls/innovationsfonden/ranking/")
    assert told(response) == ["Granted 2. The decisions stay internal until they are released."]
    assert decided(funder) == {"Textilsvinn": ("granted", 450_000, ""), "IVA-dagboken": ("granted", 400_000, "")}


def test_a_long_list_is_confirmed_once_decided_by_a_worker_and_followed_on_its_page(
        client, funder, at_panel, admin, monkeypatch, django_capture_on_commit_callbacks):
    """However big the call, the administrator confirms once, seeing how many and what they add up to; more than
    ``AT_ONCE`` are recorded in the background, turn by turn, and the job's page shows the result."""
    monkeypatch.setattr("review.bulk_jobs.AT_ONCE", 1)
    monkeypatch.setattr("review.bulk_jobs.TURN", 1)
    client.force_login(admin)
    call = at_panel[0].call
    page = client.get(reverse("review:grant_above_line", args=[funder.slug, call.slug])).content.decode()
    assert "RS-IF-2026-0001 Textilsvinn" in page and "RS-IF-2026-0002 IVA-dagboken" in page
    assert "2 applications, together" in page and "SEK\xa0850,000" in page
    assert "So many are decided in the background" in page
    assert "Confirm: grant these 2 applications" in page

    with django_capture_on_commit_callbacks(execute=True):  # the worker takes the job once it is stored
        response = confirm(client, "review:grant_above_line", call)
    with scope(funder=funder):
        job = BulkDecisionJob.objects.get()
    assert response["Location"] == f"/{funder.slug}/manage/calls/innovationsfonden/ranking/bulk/{job.pk}/"
    assert decided(funder) == {"Textilsvinn": ("granted", 450_000, ""), "IVA-dagboken": ("granted", 400_000, "")}
    page = client.get(response["Location"]).content.decode()
    assert "<strong>Done</strong>" in page and "2 of 2 applications gone through" in page
    assert "2 applications granted." in page and "refused" not in page
    assert 'href="/region-stockholm/manage/calls/innovationsfonden/ranking/">Back to the ranking' in page.replace(
        funder.slug, "region-stockholm")


def test_a_long_list_names_the_first_hundred_and_counts_the_rest_but_confirms_them_all(
        client, funder, at_panel, admin, monkeypatch):
    monkeypatch.setattr("review.views.bulk.MOST_LISTED", 1)
    client.force_login(admin)
    call = at_panel[0].call
    response = client.get(reverse("review:grant_above_line", args=[funder.slug, call.slug]))
    page = response.content.decode()
    assert "RS-IF-2026-0001 Textilsvinn" in page and "IVA-dagboken" not in page
    assert "and 1 more, in the ranking's order" in page
    assert "2 applications, together" in page and "SEK\xa0850,000" in page
    assert response.context["form"].initial["applications"] == f"{at_panel[0].pk},{at_panel[1].pk}"
    confirm(client, "review:grant_above_line", call)
    assert set(decided(funder)) == {"Textilsvinn", "IVA-dagboken"}


def test_each_bulk_grant_is_recorded_as_a_single_decision_with_its_history_and_released_like_one(
        client, funder, at_panel, admin):
    client.force_login(admin)
    call = at_panel[0].call
    confirm(client, "review:grant_above_line", call)
    textilsvinn = at_panel[0]
    with scope(funder=funder):
        change = DecisionChange.objects.get(decision__application=textilsvinn)
        assert (change.by, change.values["outcome"], change.values["amount"]) == (admin, "granted", "450000")
        assert Decision.objects.get(application=textilsvinn).decided_by == admin
    textilsvinn.refresh_from_db()
    assert textilsvinn.state == State.IN_REVIEW  # internal until released
    history = client.get(reverse("review:decision", args=[funder.slug, call.slug, textilsvinn.pk])).content.decode()
    assert f"{admin}: Granted SEK\xa0450,000" in history

    client.post(reverse("review:release", args=[funder.slug, call.slug]))
    textilsvinn.refresh_from_db()
    assert textilsvinn.state == State.GRANTED
    with scope(funder=funder):
        assert list(ApplicationTransition.objects.filter(application=textilsvinn, action__in=("to_decision", "grant"))
                    .values_list("action", "by")) == [("to_decision", admin.pk), ("grant", admin.pk)]


def test_declining_below_the_line_needs_the_justification_and_gives_it_to_each(client, funder, at_panel, admin):
    client.force_login(admin)
    call = at_panel[0].call
    page = client.get(reverse("review:decline_below_line", args=[funder.slug, call.slug])).content.decode()
    assert "RS-IF-2026-0003 Robyn" in page and "Textilsvinn" not in page
    assert "Confirm: decline this application" in page

    refused = confirm(client, "review:decline_below_line", call)
    assert refused.status_code == 200
    assert "Give the justification; the applicant will read it." in refused.content.decode()
    assert decided(funder) == {}

    reason = "Ansökan rymdes inte inom budgeten."
    response = confirm(client, "review:decline_below_line", call, reason=reason)
    assert told(response) == ["Declined 1. The decisions stay internal until they are released."]
    assert decided(funder) == {"Robyn": ("declined", None, reason)}
    with scope(funder=funder):
        assert DecisionChange.objects.get(decision__application=at_panel[2]).values["reason"] == reason


def test_one_decided_meanwhile_is_refused_with_its_reason_and_the_others_are_still_granted(
        client, funder, at_panel, admin):
    client.force_login(admin)
    call = at_panel[0].call
    url = reverse("review:grant_above_line", args=[funder.slug, call.slug])
    shown = client.get(url).context["form"].initial
    with scope(funder=funder):  # someone declines IVA-dagboken on its own page while the list is open
        decision_record(application=at_panel[1], by=staff(funder, Role.STEERING_MEMBER), outcome="declined",
                        reason="Liknande projekt pågår redan.")
    response = client.post(url, {**shown, "reason": ""})

    ranking = client.get(response["Location"]).content.decode()  # back on the ranking, the message lists them
    assert "Granted 1; 1 refused:<ul" in ranking
    assert "<li>RS-IF-2026-0002: It is already decided: declined.</li>" in ranking
    assert decided(funder) == {"Textilsvinn": ("granted", 450_000, ""),
                               "IVA-dagboken": ("declined", None, "Liknande projekt pågår redan.")}
    with scope(funder=funder):
        assert DecisionChange.objects.filter(decision__application=at_panel[1]).count() == 1


def test_applications_posted_that_are_not_above_the_line_are_refused_not_granted(
        client, funder, other_funder, at_panel, admin):
    elsewhere = ApplicationFactory(call=CallFactory(fund=FundFactory(funder=other_funder)), state=State.IN_REVIEW,
                                   amount_requested=1000, case_number="NFR-2026-0001")
    client.force_login(admin)
    call = at_panel[0].call
    textilsvinn, _iva, robyn = at_panel
    response = client.post(reverse("review:grant_above_line", args=[funder.slug, call.slug]),
                           {"applications": f"{textilsvinn.pk},{robyn.pk},{elsewhere.pk}", "reason": ""})
    message = told(response)[0]
    assert message.startswith("Granted 1; 2 refused:")
    assert "<li>RS-IF-2026-0003: It is not above the funding line of this ranking.</li>" in message
    assert f"<li>#{elsewhere.pk}: It is not above the funding line of this ranking.</li>" in message
    assert "NFR-2026-0001" not in message
    assert decided(funder) == {"Textilsvinn": ("granted", 450_000, "")}
    with scopes_disabled():
        assert not Decision.objects.filter(application=elsewhere).exists()


def test_a_decider_with_a_conflict_of_interest_is_refused_for_that_application_only(client, funder, at_panel):
    steering = staff(funder, Role.STEERING_MEMBER, user__email="styrgrupp@example.se")
    with scope(funder=funder):
        Assignment.objects.create(funder=funder, application=at_panel[1], stage=at_panel[1].current_stage,
                                  reviewer=steering, has_conflict=True, conflict_note="Min bror leder projektet.")
    client.force_login(steering)
    response = confirm(client, "review:grant_above_line", at_panel[0].call)
    message = told(response)[0]
    assert message.startswith("Granted 1; 1 refused:")
    assert "RS-IF-2026-0002: You have a conflict of interest with this application" in message
    assert decided(funder) == {"Textilsvinn": ("granted", 450_000, "")}


def test_nobody_refused_leaves_a_warning_and_stores_nothing(client, funder, at_panel, admin):
    client.force_login(admin)
    call = at_panel[0].call
    confirm(client, "review:grant_above_line", call)
    again = client.post(reverse("review:grant_above_line", args=[funder.slug, call.slug]),
                        {"applications": f"{at_panel[0].pk}", "reason": ""})
    assert [message.level_tag for message in get_messages(again.wsgi_request)][-1] == "warning"
    with scope(funder=funder):
        assert DecisionChange.objects.count() == 2


def test_the_period_chosen_on_the_ranking_limits_the_bulk_decision_to_its_applications(
        client, funder, at_panel, admin):
    call = at_panel[0].call
    now = timezone.now()
    with scope(funder=funder):
        first, second = (Period.objects.create(funder=funder, call=call, opens_at=now - timedelta(days=days + 5),
                                               closes_at=now - timedelta(days=days)) for days in (60, 10))
        for application, period in zip(at_panel, (first, second, first)):
            application.period = period
            application.save()
    client.force_login(admin)
    query = {"period": second.pk}
    page = client.get(reverse("review:grant_above_line", args=[funder.slug, call.slug]), query).content.decode()
    assert "IVA-dagboken" in page and "Textilsvinn" not in page
    response = confirm(client, "review:grant_above_line", call, query)
    assert response["Location"].endswith(f"/ranking/?period={second.pk}")
    assert decided(funder) == {"IVA-dagboken": ("granted", 400_000, "")}


def test_another_funders_call_is_not_found(client, funder, other_funder, at_panel):
    client.force_login(staff(other_funder, Role.ADMINISTRATOR))
    call = at_panel[0].call
    for name in ("review:grant_above_line", "review:decline_below_line"):
        url = reverse(name, args=[other_funder.slug, call.slug])
        assert client.get(url).status_code == 404
        assert client.post(url, {"applications": f"{at_panel[0].pk}", "reason": "Nej"}).status_code == 404
    assert decided(funder) == {}


@pytest.mark.parametrize("role", [Role.SCREENER, Role.PANEL_MEMBER])
def test_staff_who_may_not_decide_are_refused_and_nothing_is_decided(client, funder, at_panel, role):
    client.force_login(staff(funder, role))
    url = reverse("review:grant_above_line", args=[funder.slug, at_panel[0].call.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"applications": f"{at_panel[0].pk}", "reason": ""}).status_code == 403
    assert decided(funder) == {}


def test_a_damaged_list_is_refused_and_nothing_is_decided(client, funder, at_panel, admin):
    client.force_login(admin)
    url = reverse("review:grant_above_line", args=[funder.slug, at_panel[0].call.slug])
    too_many = ",".join(str(pk) for pk in range(10**6, 10**6 + 10_001))
    for damaged in ("", "abc", f"{at_panel[0].pk},", "9" * 30, "1;2", too_many):
        response = client.post(url, {"applications": damaged, "reason": ""})
        assert response.status_code == 200, damaged
        assert "Nothing is decided yet." in response.content.decode()
    assert decided(funder) == {}


def test_thousands_of_unknown_applications_posted_are_each_refused_and_nothing_is_decided(
        client, funder, at_panel, admin, django_capture_on_commit_callbacks):
    client.force_login(admin)
    url = reverse("review:decline_below_line", args=[funder.slug, at_panel[0].call.slug])
    unknown = ",".join(str(pk) for pk in range(10**6, 10**6 + 10_000))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"applications": unknown, "reason": "Nej"})
    page = client.get(response["Location"]).content.decode()  # so many: on the job's page
    assert "0 applications declined." in page and "10000 applications refused" in page
    assert "<li>#1000000: It is not below the funding line of this ranking.</li>" in page
    assert "<li>and 9900 more.</li>" in page
    assert decided(funder) == {}


def test_the_confirmation_page_costs_the_same_queries_for_one_application_as_for_forty(
        client, funder, panel_call, admin, django_assert_num_queries):
    applications = at_the_panel(panel_call, 41, 20_000)  # 41 × 20 000 fit the budget: all above, no line
    client.force_login(admin)
    url = reverse("review:grant_above_line", args=[funder.slug, panel_call.slug])
    with scope(funder=funder):
        for application in applications[1:]:
            application.state = State.DRAFT  # not at the panel: left out of the ranking
            application.save()
    with django_assert_num_queries(11):  # … and whether a bulk decision on the call is under way
        assert len(client.get(url).context["applications"]) == 1
    with scope(funder=funder):
        for application in applications[1:]:
            application.state = State.IN_REVIEW
            application.save()
    with django_assert_num_queries(11):
        assert len(client.get(url).context["applications"]) == 41


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_administrators_granting_in_bulk_at_once_record_each_decision_once(funder, at_panel, monkeypatch):
    if connection.vendor != "postgresql":
        service_unavailable("thread races need PostgreSQL (set DATABASE_URL)")
    call = at_panel[0].call
    first, second = staff(funder, Role.ADMINISTRATOR), staff(funder, Role.STEERING_MEMBER)
    held_at(decisions, "by_the_funding_line", monkeypatch)  # each holds once it knows what is above the line
    outcomes = together(funder, *(lambda by=by: decisions_record_in_bulk(call=call, by=by, outcome="granted")
                                  for by in (first, second)))
    assert sorted((len(done.recorded), len(done.refused)) for done in outcomes) == [(0, 2), (2, 0)]
    with scope(funder=funder):
        assert Decision.objects.count() == 2 and DecisionChange.objects.count() == 2
