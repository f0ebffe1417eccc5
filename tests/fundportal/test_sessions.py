"""How long a session lasts: staff are signed out after their funders' idle timeout and told why on the sign-in
page, applicants are not; every session ends some time after sign-in; polls do not keep a session, "Stay signed in"
does; a person lists their sessions and ends the others. Time passes by moving the session's records back."""

import re
import time

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from fundportal.models import Role
from fundportal.sessions import IDLE_MINUTES, LAST_ACTIVITY, SIGNED_IN_AT, SessionTimeoutMiddleware
from fundportal.templatetags.devices import device
from tests.factories import PASSWORD, FunderFactory, UserFactory, staff

pytestmark = pytest.mark.django_db

MINUTE, HOUR, DAY = 60, 60 * 60, 24 * 60 * 60
PROFILE = "/my/profile/"


@pytest.fixture
def strict_funder(db):
    return FunderFactory(slug="strict", staff_idle_timeout_minutes=10)


def signed_in(client, person):
    """``person`` signed in through the real sign-in page, their first page seen (so the session has its records)."""
    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(PROFILE).status_code == 200
    return client


def move_back(client, seconds, key=LAST_ACTIVITY):
    """As if ``seconds`` had passed since the session's last recorded activity (or, with SIGNED_IN_AT, sign-in)."""
    session = client.session
    session[key] -= seconds
    session.save()


def test_an_idle_staff_member_is_signed_out_and_the_sign_in_page_says_why(client, strict_funder):
    panel_member = staff(strict_funder, Role.PANEL_MEMBER)
    signed_in(client, panel_member)
    session_key = client.session.session_key
    move_back(client, 10 * MINUTE + 1)

    response = client.get(f"{PROFILE}?tab=1")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fmy%2Fprofile%2F%3Ftab%3D1"
    page = client.get(response["Location"])
    assert "You were signed out after 10 minutes without activity. Please sign in again." in page.content.decode()
    assert not Session.objects.filter(session_key=session_key).exists()  # ended, not just hidden
    assert client.get(PROFILE).status_code == 302


def test_a_form_sent_after_the_end_leads_back_to_the_page_it_was_on(client, strict_funder):
    signed_in(client, staff(strict_funder, Role.SCREENER))
    move_back(client, 10 * MINUTE)
    response = client.post(PROFILE, {"first_name": "Lena"}, HTTP_REFERER="http://testserver/my/profile/?tab=2")
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fmy%2Fprofile%2F%3Ftab%3D2"


def test_a_staff_member_active_within_the_timeout_stays_signed_in(client, strict_funder):
    signed_in(client, staff(strict_funder, Role.SCREENER))
    move_back(client, 9 * MINUTE)
    assert client.get(PROFILE).status_code == 200
    move_back(client, 9 * MINUTE)  # 18 minutes since sign-in, never 10 without a request
    assert client.get(PROFILE).status_code == 200


def test_the_shortest_timeout_of_the_persons_funders_applies_and_operators_get_the_default(client, strict_funder):
    person = staff(FunderFactory(slug="relaxed", staff_idle_timeout_minutes=30), Role.ADMINISTRATOR)
    staff(strict_funder, Role.PANEL_MEMBER, user=person)
    operator = UserFactory(is_superuser=True, is_staff=True)

    assert signed_in(client, person).session[IDLE_MINUTES] == 10
    operators_browser = Client()  # an operator's first page is the second factor's set-up; the clock is kept all the same
    operators_browser.post(reverse("account_login"), {"login": operator.email, "password": PASSWORD})
    assert operators_browser.session[IDLE_MINUTES] == 30


def test_an_applicant_without_a_role_is_not_idle_timed(client):
    signed_in(client, UserFactory())
    assert client.session[IDLE_MINUTES] is None
    move_back(client, 3 * DAY)
    assert client.get(PROFILE).status_code == 200


def test_a_role_given_during_a_session_brings_its_timeout_within_a_minute(client, strict_funder):
    person = UserFactory()
    signed_in(client, person)
    staff(strict_funder, Role.SCREENER, user=person)
    move_back(client, MINUTE)
    client.get(PROFILE)
    assert client.session[IDLE_MINUTES] == 10


@pytest.mark.parametrize(("who", "lifetime", "why"), [("staff", 12 * HOUR, "12 hours"), ("applicant", 14 * DAY, "14 days")])
def test_the_lifetime_ends_any_session_however_active(client, strict_funder, who, lifetime, why):
    person = staff(strict_funder, Role.ADMINISTRATOR) if who == "staff" else UserFactory()
    signed_in(client, person)
    move_back(client, lifetime - MINUTE, key=SIGNED_IN_AT)
    assert client.get(PROFILE).status_code == 200  # active a minute ago, within the lifetime
    move_back(client, MINUTE, key=SIGNED_IN_AT)

    response = client.get(PROFILE, follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("account_login"))
    assert f"You were signed out {why} after you signed in. Please sign in again." in response.content.decode()


def test_the_session_and_its_cookie_expire_an_hour_after_the_lifetime(client, strict_funder):
    """Not with it: the first request after the lifetime must still find the session to say why it ended."""
    signed_in(client, staff(strict_funder, Role.ADMINISTRATOR))
    assert 13 * HOUR - MINUTE < client.session.get_expiry_age() <= 13 * HOUR
    assert client.cookies["sessionid"]["max-age"] <= 13 * HOUR


def test_polling_does_not_keep_a_session_alive(client, strict_funder):
    signed_in(client, staff(strict_funder, Role.ADMINISTRATOR))
    move_back(client, 9 * MINUTE)
    before = client.session[LAST_ACTIVITY]
    poll = {"HTTP_HX_REQUEST": "true", "HTTP_X_PORTAL_BACKGROUND": "1",
            "HTTP_HX_CURRENT_URL": "http://testserver/strict/manage/outbox/"}

    assert client.get(reverse("outbox_progress", args=["strict"]), **poll).status_code == 200
    assert client.session[LAST_ACTIVITY] == before
    move_back(client, 1 * MINUTE + 1)
    answer = client.get(reverse("outbox_progress", args=["strict"]), **poll)

    assert answer.status_code == 401
    assert answer["HX-Redirect"] == f"{reverse('account_login')}?next=%2Fstrict%2Fmanage%2Foutbox%2F"
    assert answer.json()["message"] == "You were signed out after 10 minutes without activity. Please sign in again."


def test_the_keep_alive_post_keeps_the_session_and_its_check_does_not(client, strict_funder):
    signed_in(client, staff(strict_funder, Role.PANEL_MEMBER))
    move_back(client, 9 * MINUTE)
    url = reverse("session_keep_alive")

    check = client.get(url, HTTP_X_PORTAL_BACKGROUND="1", HTTP_X_REQUESTED_WITH="fetch").json()
    assert check == {"status": "signed-in", "idle_minutes": 10, "remaining": pytest.approx(60, abs=2),
                     "renewable": True}
    kept = client.post(url, HTTP_X_REQUESTED_WITH="fetch").json()
    assert kept["remaining"] == 10 * MINUTE
    assert client.session[LAST_ACTIVITY] == pytest.approx(time.time(), abs=5)
    move_back(client, 9 * MINUTE)
    assert client.get(PROFILE).status_code == 200


def test_the_keep_alive_answers_a_signed_out_script_in_json(client, strict_funder):
    never_signed_in = client.post(reverse("session_keep_alive"), HTTP_REFERER="http://testserver/my/profile/")
    assert never_signed_in.status_code == 401
    assert never_signed_in.json()["login_url"] == f"{reverse('account_login')}?next=%2Fmy%2Fprofile%2F"
    signed_in(client, staff(strict_funder, Role.PANEL_MEMBER))
    move_back(client, 10 * MINUTE)
    answer = client.get(reverse("session_keep_alive"), HTTP_X_PORTAL_BACKGROUND="1",
                        HTTP_REFERER="http://testserver/strict/reviews/")
    assert answer.status_code == 401
    assert answer.json()["login_url"] == f"{reverse('account_login')}?next=%2Fstrict%2Freviews%2F"
    from_elsewhere = client.get(reverse("session_keep_alive"), HTTP_X_PORTAL_BACKGROUND="1",
                                HTTP_REFERER="https://elsewhere.example/strict/reviews/")
    assert from_elsewhere.json()["login_url"] == f"{reverse('account_login')}?next=%2F"  # never back to another site


def test_a_staff_page_carries_the_warning_and_an_applicants_does_not(client, strict_funder):
    signed_in(client, staff(strict_funder, Role.PANEL_MEMBER))
    page = client.get(PROFILE).content.decode()
    assert 'id="session-warning"' in page
    assert re.search(r'data-session-remaining="(599|600)"', page)
    assert "js/session-timeout.js" in page
    assert 'id="session-warning"' not in signed_in(Client(), UserFactory()).get(PROFILE).content.decode()


# --- what it costs a request ---------------------------------------------------------------------------------------

def request_through_the_middleware(rf, person, session):
    request = rf.get(PROFILE)
    request.user, request.session = person, session
    SessionTimeoutMiddleware(lambda request: HttpResponse())(request)
    return request


@pytest.mark.parametrize("funders", [1, 5])
def test_the_timeout_reads_nothing_within_the_minute_and_a_fixed_few_once_a_minute(
        rf, django_assert_num_queries, funders):
    person = UserFactory()
    for number in range(funders):
        staff(FunderFactory(staff_idle_timeout_minutes=5 + number), Role.PANEL_MEMBER, user=person)
    session = SessionStore()
    session.save()
    request_through_the_middleware(rf, person, session)  # the first: the session's row in the list is made
    with django_assert_num_queries(0):
        request_through_the_middleware(rf, person, session)
    session[LAST_ACTIVITY] -= MINUTE
    # the person's shortest timeout; allauth's row of the session read with its person and updated, in a savepoint
    with django_assert_num_queries(6):
        request = request_through_the_middleware(rf, person, session)
    assert session[IDLE_MINUTES] == 5 and request.session_clock.remaining == 5 * MINUTE


# --- the person's sessions -----------------------------------------------------------------------------------------

def test_a_person_sees_their_sessions_and_ends_the_others(client):
    person = UserFactory()
    phone = signed_in(Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15"
                                              " (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
                             REMOTE_ADDR="203.0.113.7"), person)
    signed_in(client, person)
    client.defaults["HTTP_USER_AGENT"] = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"

    page = client.get(reverse("usersessions_list")).content.decode()

    assert "Safari 17 on iPhone" in page and "203.0.113.7" in page
    assert page.count("This session") == 1
    response = client.post(reverse("usersessions_list"), follow=True)
    assert "Signed out of all other sessions." in response.content.decode()
    assert phone.get(PROFILE).status_code == 302
    assert client.get(PROFILE).status_code == 200
    assert UserSession.objects.filter(user=person).count() == 1


@pytest.mark.parametrize("others", [0, 3])
def test_the_sessions_page_reads_a_fixed_number_of_queries_per_session(client, django_assert_num_queries, others):
    person = UserFactory()
    for _ in range(others):
        signed_in(Client(), person)
    signed_in(client, person)
    # allauth's list checks each session still exists and still names its person: three queries a session
    with django_assert_num_queries(3 + 3 * (others + 1)):
        assert client.get(reverse("usersessions_list")).status_code == 200


@pytest.mark.parametrize(("user_agent", "shown"), [
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 "
     "Edg/131.0.2903.86", "Edge 131 on Windows"),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.104 Mobile "
     "Safari/537.36", "Chrome 131 on Android"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox 133 on macOS"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 "
     "Safari/605.1.15", "Safari 18 on macOS"),
    ("curl/8.5.0", "An unknown browser"),
    ("", "An unknown browser"),
])
def test_a_session_names_its_browser_and_system_as_a_person_reads_them(user_agent, shown):
    assert device(user_agent) == shown
