"""A staff session running out, in Chromium: the warning two minutes before the end, "Stay signed in" keeping every
tab, and a review typed before the end found again after signing in; a person's sessions listed and the others
ended. The browser's clock is moved forward (Playwright's clock) and the server's by moving the session's recorded
activity back, so nothing waits minutes."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from fundportal.models import OutboxEmail, Role
from fundportal.sessions import LAST_ACTIVITY
from fundportal.tenancy import scope
from review.services import assignment_create, assignment_declare
from tests.browser.conftest import SavedPages
from tests.browser.steps import page_width, signed_in
from tests.factories import PASSWORD, staff
from tests.review.conftest import at_panel, panel, panel_call, submitted  # noqa: F401 - the review stories' fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MINUTE = 60


@pytest.fixture
def review_path(funder, at_panel, panel):
    """A panel member's review to write, at a funder that signs its staff out after 5 minutes without activity."""
    funder.staff_idle_timeout_minutes = 5
    funder.save()
    with scope(funder=funder):
        assignment = assignment_create(application=at_panel[0], reviewer=panel[0], by=staff(funder))
        assignment_declare(assignment=assignment, has_conflict=False)
    return f"/{funder.slug}/reviews/{assignment.pk}/"


def move_back(context, seconds):
    """On the server, as if ``seconds`` had passed since the browser's session last did anything."""
    session = SessionStore(session_key=next(c["value"] for c in context.cookies() if c["name"] == "sessionid"))
    session[LAST_ACTIVITY] -= seconds
    session.save()


def valid_html(page, folder):
    pages = SavedPages(folder)
    pages.save(page)
    assert pages.html_errors() == []


def recorded_activity(context):
    return SessionStore(session_key=next(c["value"] for c in context.cookies() if c["name"] == "sessionid"))[LAST_ACTIVITY]


@pytest.mark.parametrize("width", [1280, 390])
def test_a_review_typed_before_the_session_ran_out_is_there_after_signing_in_again(
        page, live_server, log_in, assert_accessible, review_path, panel, width, tmp_path):
    page.clock.install()
    signed_in(page, live_server, log_in, panel[0], review_path, width)
    page.get_by_label("Need (60 %)").select_option("6")
    page.get_by_label("Overall comment").fill("Strong need among the region's health centres; the budget is thin.")

    page.clock.fast_forward("03:05")  # two minutes before the end

    warning = page.get_by_role("dialog", name="You will soon be signed out")
    warning.wait_for()
    assert "you will be signed out at" in warning.inner_text()
    expect(page.locator("[data-session-stay]")).to_be_focused()
    assert page_width(page) <= width
    valid_html(page, tmp_path)  # before axe adds its script
    assert_accessible(page)

    move_back(page.context, 5 * MINUTE)
    page.clock.fast_forward("02:00")  # the end, on both clocks

    page.wait_for_url("**/accounts/login/**")
    assert page.get_by_text("You were signed out after 5 minutes without activity. Please sign in again.").is_visible()
    page.locator("input[name=login]").fill(panel[0].email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action^='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url(f"**{review_path}")
    assert page.get_by_label("Overall comment").input_value() == (
        "Strong need among the region's health centres; the budget is thin.")
    assert page.get_by_label("Need (60 %)").input_value() == "6"
    assert page.get_by_text("What you typed here before you were signed out is back in the form below.").is_visible()


def test_stay_signed_in_keeps_the_session_for_every_tab(page, live_server, log_in, review_path, panel):
    page.context.clock.install()
    signed_in(page, live_server, log_in, panel[0], review_path)
    other_tab = page.context.new_page()
    other_tab.goto(live_server.url + review_path)
    move_back(page.context, 3 * MINUTE)
    before = recorded_activity(page.context)

    page.context.clock.fast_forward("03:05")
    for tab in (page, other_tab):
        tab.get_by_role("dialog", name="You will soon be signed out").wait_for()
    page.get_by_role("button", name="Stay signed in").click()

    for tab in (page, other_tab):
        tab.get_by_role("dialog", name="You will soon be signed out").wait_for(state="hidden")
    assert recorded_activity(page.context) > before
    page.context.clock.fast_forward("02:30")  # two and a half minutes before the new end
    assert not other_tab.get_by_role("dialog").is_visible()
    assert "/accounts/login/" not in other_tab.url


def test_the_outboxs_polling_does_not_keep_the_session(page, live_server, log_in, funder):
    admin = staff(funder, Role.ADMINISTRATOR)
    with scope(funder=funder):
        OutboxEmail.objects.create(funder=funder, recipient="applicant@example.se", subject="Beslut", body="Beslut",
                                   kind="decision", occasion="decision:1", status=OutboxEmail.Status.PENDING)
    signed_in(page, live_server, log_in, admin, f"/{funder.slug}/manage/outbox/")
    move_back(page.context, 2 * MINUTE)
    before = recorded_activity(page.context)

    poll = page.wait_for_event("request", lambda request: "/manage/outbox/progress/" in request.url)
    page.wait_for_timeout(2500)  # another poll or two

    assert poll.headers["x-portal-background"] == "1"
    assert recorded_activity(page.context) == before


@pytest.mark.parametrize("width", [1280, 390])
def test_a_person_sees_their_sessions_and_ends_the_others(
        page, browser, live_server, log_in, assert_accessible, panel, width, tmp_path):
    phone = browser.new_context(user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
                                           "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")
    on_the_phone = phone.new_page()
    signed_in(on_the_phone, live_server, log_in, panel[0], "/my/profile/")
    signed_in(page, live_server, log_in, panel[0], "/my/profile/", width)

    if width < 992:
        page.get_by_role("button", name="Show menu").click()
    page.get_by_role("button", name=panel[0].get_short_name()).click()
    page.locator(".dropdown-menu").get_by_role("link", name="Active sessions").click()

    sessions = page.locator("main li.card")
    assert sessions.count() == 2
    assert sessions.filter(has_text="Safari 17 on iPhone").filter(has_text="127.0.0.1").count() == 1
    assert sessions.filter(has_text="This session").count() == 1
    assert page_width(page) <= width
    valid_html(page, tmp_path)  # before axe adds its script
    assert_accessible(page)
    page.get_by_role("button", name="Sign out the other sessions").click()
    page.get_by_text("Signed out of all other sessions.").wait_for()
    assert page.locator("main li.card").count() == 1

    on_the_phone.goto(live_server.url + "/my/profile/")
    assert "/accounts/login/" in on_the_phone.url
    phone.close()
