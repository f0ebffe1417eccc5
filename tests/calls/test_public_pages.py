"""Applicants find calls: a funder's list, a call page, every open call, the feed and the calendar."""

from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from calls.models import Period
from calls.services import call_publish, call_set_periods
from fundportal.models import Funder, Role
from fundportal.tenancy import scope
from tests.factories import CallFactory, make_publishable, staff

pytestmark = pytest.mark.django_db


def open_call(funder, title, days_left=10, **fields):
    call = CallFactory(fund__funder=funder, title={"en": title, "sv": title}, **fields)
    now = timezone.now()
    with scope(funder=funder):
        call_set_periods(call=call, periods=[{"opens_at": now - timedelta(days=5), "closes_at": now + timedelta(days=days_left)}])
        call_publish(call=make_publishable(call), by=staff(funder))
    return call


@pytest.mark.parametrize("slug", ["region-stockholm", "forskningsradet", "region-norrbotten", "stimulab"])
def test_each_seed_funders_call_is_open_on_its_public_page(client, slug):
    call_command("seed_demo", verbosity=0)
    funder = Funder.objects.get(slug=slug)
    listing = client.get(reverse("calls:call_list", args=[slug])).context["listing"]
    assert len(listing.open) >= 1
    call = listing.open[0]
    page = client.get(reverse("calls:call_detail", args=[slug, call.slug]))
    assert page.status_code == 200
    assert call.display_title in page.content.decode()
    assert funder.name in page.content.decode()


def test_innovationsfonden_2024_shows_both_periods_in_stockholm_time(client):
    call_command("seed_demo", verbosity=0)
    page = client.get(reverse("calls:call_detail", args=["region-stockholm", "innovationsfonden-2024"])).content.decode()
    assert "20 September 2023 00:00 – 23 October 2023 23:59" in page
    assert "1 January 2024 00:00 – 2 February 2024 23:59" in page
    assert "Decision by week 16" in page
    assert "SEK\xa015,000,000" in page


def test_calls_are_sorted_into_open_upcoming_and_closed(client, funder):
    open_call(funder, "Open call")
    upcoming = CallFactory(fund__funder=funder, title={"en": "Next call"})
    closed = CallFactory(fund__funder=funder, title={"en": "Old call"})
    draft = CallFactory(fund__funder=funder, title={"en": "Secret draft"})
    now = timezone.now()
    with scope(funder=funder):
        call_set_periods(call=upcoming, periods=[{"opens_at": now + timedelta(days=3), "closes_at": now + timedelta(days=30)}])
        call_set_periods(call=closed, periods=[{"opens_at": now - timedelta(days=60), "closes_at": now - timedelta(days=30)}])
        call_set_periods(call=draft, periods=[{"opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=30)}])
        for call in (upcoming, closed):
            call_publish(call=make_publishable(call), by=staff(funder))
    response = client.get(reverse("calls:call_list", args=[funder.slug]))
    listing = response.context["listing"]
    assert [c.display_title for c in listing.open] == ["Open call"]
    assert [c.display_title for c in listing.upcoming] == ["Next call"]
    assert [c.display_title for c in listing.closed] == ["Old call"]
    assert "Secret draft" not in response.content.decode()
    assert client.get(reverse("calls:call_detail", args=[funder.slug, draft.slug])).status_code == 404


def test_the_deadline_countdown_is_shown(client, funder):
    open_call(funder, "Open call", days_left=3)
    page = client.get(reverse("calls:call_list", args=[funder.slug])).content.decode()
    assert "left" in page and "Deadline" in page


def test_another_funders_call_is_not_found_under_this_funder(client, funder, other_funder):
    theirs = open_call(other_funder, "Their call")
    assert client.get(reverse("calls:call_detail", args=[funder.slug, theirs.slug])).status_code == 404


def test_the_cross_funder_page_lists_every_funders_open_calls(client, funder, other_funder):
    open_call(funder, "Innovationsfonden", days_left=20)
    open_call(other_funder, "Innovasjonsprosjekt", days_left=5)
    page = client.get(reverse("open_calls"))
    assert [call.display_title for call in page.context["calls"]] == ["Innovasjonsprosjekt", "Innovationsfonden"]


def test_the_cross_funder_page_shows_a_page_of_calls_at_a_time_the_soonest_deadline_first(client, funder, other_funder,
                                                                                          settings):
    for days in range(1, 24):
        open_call(funder if days % 2 else other_funder, f"Call due in {days:02d} days", days_left=days)
    first = client.get(reverse("open_calls"))
    assert [call.display_title for call in first.context["calls"]] == [f"Call due in {days:02d} days" for days in range(1, 21)]
    assert "23 calls are open" in first.content.decode() and "Page 1 of 2" in first.content.decode()
    second = client.get(reverse("open_calls"), {"page": "2"})
    assert [call.display_title for call in second.context["calls"]] == [f"Call due in {days:02d} days" for days in (21, 22, 23)]
    assert [call.display_title for call in client.get(reverse("open_calls"), {"page": "x"}).context["calls"]][0] \
        == "Call due in 01 days"  # a page that is no number shows the first


def test_a_call_that_had_an_earlier_round_is_ordered_by_the_deadline_of_the_round_open_now(client, funder):
    call = CallFactory(fund__funder=funder, title={"en": "Second round"})
    now = timezone.now()
    with scope(funder=funder):
        call_set_periods(call=call, periods=[
            {"name": "First round", "opens_at": now - timedelta(days=40), "closes_at": now - timedelta(days=20)},
            {"name": "Second round", "opens_at": now - timedelta(days=5), "closes_at": now + timedelta(days=30)}])
        call_publish(call=make_publishable(call), by=staff(funder))
    open_call(funder, "Due sooner", days_left=10)
    listed = client.get(reverse("open_calls")).context["calls"]
    assert [call.display_title for call in listed] == ["Due sooner", "Second round"]
    assert listed[1].open_period.name == "Second round"


def test_the_json_feed_lists_open_calls_with_deadlines(client, funder, other_funder):
    call = open_call(funder, "Innovationsfonden", themes=["Digitalisering"])
    open_call(other_funder, "Not ours")
    feed = client.get(reverse("calls:feed", args=[funder.slug])).json()
    assert feed["funder"]["slug"] == funder.slug
    assert [item["title"]["en"] for item in feed["calls"]] == ["Innovationsfonden"]
    with scope(funder=funder):
        period = Period.objects.get(call=call)
    assert feed["calls"][0]["closes_at"] == period.closes_at.isoformat()
    assert feed["calls"][0]["themes"] == ["Digitalisering"]
    assert feed["calls"][0]["url"].endswith(f"/{funder.slug}/calls/{call.slug}/")


def test_the_calendar_has_one_event_per_deadline_in_utc(client, funder):
    call = open_call(funder, "Innovationsfonden, med komma; och semikolon")
    response = client.get(reverse("calls:calendar", args=[funder.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    with scope(funder=funder):
        period = Period.objects.get(call=call)
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 1
    assert f"DTSTART:{period.closes_at.astimezone(dt_timezone.utc):%Y%m%dT%H%M%SZ}" in body
    assert "Innovationsfonden\\, med komma\\; och semikolon" in body.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_the_call_list_query_count_does_not_grow(client, funder, django_assert_max_num_queries):
    open_call(funder, "One")
    with django_assert_max_num_queries(15) as one:
        client.get(reverse("calls:call_list", args=[funder.slug]))
    for number in range(12):
        open_call(funder, f"Call {number}")
    with django_assert_max_num_queries(15) as many:
        client.get(reverse("calls:call_list", args=[funder.slug]))
    assert len(many) == len(one)


def test_the_open_calls_page_query_count_does_not_grow(client, funder, other_funder, django_assert_max_num_queries):
    open_call(funder, "One")
    with django_assert_max_num_queries(15) as one:
        client.get(reverse("open_calls"))
    for number in range(6):
        open_call(funder, f"Call {number}")
        open_call(other_funder, f"Annen {number}")
    with django_assert_max_num_queries(15) as many:
        client.get(reverse("open_calls"))
    assert len(many) == len(one)


@pytest.mark.parametrize("role", Role.values)
def test_only_administrators_manage_calls(client, funder, people, role):
    client.force_login(people[role])
    expected = 200 if role == Role.ADMINISTRATOR else 403
    assert client.get(reverse("calls:manage_calls", args=[funder.slug])).status_code == expected


def test_applicants_and_other_funders_get_404_on_call_management(client, funder, other_funder, people):
    client.force_login(people["applicant"])
    assert client.get(reverse("calls:manage_calls", args=[funder.slug])).status_code == 404
    client.force_login(staff(other_funder))
    assert client.get(reverse("calls:manage_calls", args=[funder.slug])).status_code == 404


def test_the_calls_dashboard_counts_drafts_and_submissions_per_period(client, funder, people, django_assert_max_num_queries):
    from applications.lifecycle import State
    from tests.factories import ApplicationFactory

    call = open_call(funder, "Innovationsfonden")
    with scope(funder=funder):
        period = Period.objects.get(call=call)
    ApplicationFactory.create_batch(2, call=call, period=period, state=State.DRAFT)
    ApplicationFactory(call=call, period=period, state=State.SUBMITTED)
    client.force_login(people["administrator"])
    with django_assert_max_num_queries(15) as one:
        response = client.get(reverse("calls:manage_calls", args=[funder.slug]))
    shown = response.context["funds"][0].calls.all()[0].periods.all()[0]
    assert (shown.drafts, shown.submissions) == (2, 1)
    for number in range(8):
        open_call(funder, f"Call {number}")
    with django_assert_max_num_queries(15) as many:
        client.get(reverse("calls:manage_calls", args=[funder.slug]))
    assert len(many) == len(one)


def test_a_published_call_that_is_not_open_yet_says_when_it_opens_in_the_applicants_words(client, funder):
    call = CallFactory(fund__funder=funder, title={"en": "Next year"})
    with scope(funder=funder):
        call_set_periods(call=call, periods=[{"opens_at": datetime(2037, 3, 1, 9, tzinfo=ZoneInfo("Europe/Stockholm")),
                                              "closes_at": datetime(2037, 6, 15, 16, tzinfo=ZoneInfo("Europe/Stockholm")),
                                              "decision_by": date(2037, 9, 1)}])
        call_publish(call=make_publishable(call), by=staff(funder))
    page = client.get(reverse("calls:call_detail", args=[funder.slug, call.slug])).content.decode()
    assert "Opens 1 March 2037" in page
    assert "Published, not yet open" not in page and "Apply</a>" not in page
    assert "1 March 2037 09:00 – 15 June 2037 16:00" in page and "Decision by 1 September 2037" in page
    listing = client.get(reverse("calls:call_list", args=[funder.slug])).content.decode()
    assert "Opens 1 March 2037" in listing


@pytest.mark.parametrize(("language", "opens", "decision"), [
    ("sv", "1 mars 2037 09:00 – 15 juni 2037 16:00", "1 september 2037"),
    ("nb", "1. mars 2037 09:00 – 15. juni 2037 16:00", "1. september 2037"),
])
def test_every_date_on_a_call_page_is_written_one_way_in_the_readers_language(client, funder, language, opens, decision):
    call = CallFactory(fund__funder=funder, title={"en": "Next year"})
    with scope(funder=funder):
        call_set_periods(call=call, periods=[{"opens_at": datetime(2037, 3, 1, 9, tzinfo=ZoneInfo("Europe/Stockholm")),
                                              "closes_at": datetime(2037, 6, 15, 16, tzinfo=ZoneInfo("Europe/Stockholm")),
                                              "decision_by": date(2037, 9, 1)}])
        call_publish(call=make_publishable(call), by=staff(funder))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("calls:call_detail", args=[funder.slug, call.slug])).content.decode()
    assert opens in page and decision in page


def test_an_archived_call_keeps_its_page_but_takes_no_applications(client, funder, people, open_call):
    from calls.services import call_archive

    with scope(funder=funder):
        call_archive(call=open_call, by=people["administrator"])
    client.force_login(people["applicant"])
    assert client.get(reverse("calls:call_detail", args=[funder.slug, open_call.slug])).status_code == 200
    assert client.get(reverse("calls:eligibility", args=[funder.slug, open_call.slug])).status_code == 404
    assert client.get(reverse("applications:start", args=[funder.slug, open_call.slug])).status_code == 404
