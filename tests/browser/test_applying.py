"""An applicant writes an application in Chromium: autosave, counters, totals, and submission."""

import re

import pytest
from playwright.sync_api import expect

from applications.models import Application
from fundportal.tenancy import scope
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_applicant_writes_with_autosave_and_submits(page, live_server, funder, open_call, applicant, log_in, assert_accessible):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, applicant.email, PASSWORD, next_path=f"/{funder.slug}/calls/{open_call.slug}/")
    page.get_by_role("link", name="Apply", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Start my application").click()

    page.wait_for_url("**/sections/1/")
    assert_accessible(page)
    page.get_by_label("Project title").fill("Textile waste in health care")
    page.get_by_label("Purpose").fill("Less textile waste at hospitals")
    assert page.get_by_text("5 / 5 words").is_visible()
    page.get_by_text("Saved", exact=False).first.wait_for()
    expect(page.locator("#save-status")).to_have_text(re.compile("^Saved"))  # no string eval under the CSP
    with scope(funder=funder):
        assert Application.objects.get().answers  # autosaved without pressing a button
    page.get_by_label("The result is owned by Region Stockholm").check()
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url("**/sections/2/")
    page.get_by_label("Personnel — Year 1").fill("400000")
    page.get_by_label("Direct project costs — Year 2").fill("45497")
    assert page.locator("[data-grand-total]").inner_text().replace("\u00a0", " ") == "SEK 445,497"
    assert_accessible(page)
    page.get_by_role("button", name="Save and check").click()
    page.wait_for_url("**/submit/")
    assert_accessible(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit the application").click()
    page.wait_for_url("**/applications/*/")
    assert page.get_by_text("Submitted: waiting for assessment").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/my/applications/")
    assert page.get_by_role("link", name="Textile waste in health care").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/my/profile/")
    assert_accessible(page)


def test_text_typed_while_offline_comes_back_when_the_page_is_opened_again(page, live_server, funder, open_call,
                                                                           applicant, log_in, assert_accessible):
    from applications.drafting import application_start

    with scope(funder=funder):
        application = application_start(call=open_call, applicant=applicant, application_type="new")
    section = f"{live_server.url}/{funder.slug}/applications/{application.pk}/sections/1/"
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, applicant.email, PASSWORD, next_path=section.removeprefix(live_server.url))
    page.wait_for_url(section)
    browser = page.context
    browser.set_offline(True)  # the connection is lost while the applicant writes
    page.get_by_label("Purpose").fill("Written on the train")
    page.get_by_text("Not saved: no connection.").wait_for()
    page.close()  # and the tab is closed before it comes back
    browser.set_offline(False)

    page = browser.new_page()
    page.goto(section)
    assert page.get_by_label("Purpose").input_value() == ""  # the server never got it
    assert "did not reach the server" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Put it back").click()
    assert page.get_by_label("Purpose").input_value() == "Written on the train"
    expect(page.locator("#save-status")).to_have_text(re.compile("^Saved"))  # no string eval under the CSP
    with scope(funder=funder):
        application.refresh_from_db()
    assert "Written on the train" in application.answers.values()
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('fundportal:draft:')).length") == 0


def test_pressing_save_while_an_autosave_is_on_its_way_keeps_both_texts(page, live_server, funder, open_call, applicant,
                                                                        log_in):
    from applications.drafting import application_start

    with scope(funder=funder):
        application = application_start(call=open_call, applicant=applicant, application_type="new")
    section = f"{live_server.url}/{funder.slug}/applications/{application.pk}/sections/1/"
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, applicant.email, PASSWORD, next_path=section.removeprefix(live_server.url))
    page.wait_for_url(section)
    answers_on_their_way = []  # the server has stored the autosave; its answer has not reached the page yet

    def slow_answer(route):
        answers_on_their_way.append((route, route.fetch()))

    page.route("**/autosave/", slow_answer)
    page.get_by_label("Purpose").fill("Less textile waste at hospitals")
    while not answers_on_their_way:
        page.wait_for_timeout(100)
    page.get_by_label("Project title").fill("Textile waste in health care")  # typed, and Save pressed at once
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_timeout(300)
    for route, response in answers_on_their_way:
        route.fulfill(response=response)

    page.wait_for_url("**/sections/2/")
    assert "changed in another window" not in page.content()
    with scope(funder=funder):
        application.refresh_from_db()
    assert application.title == "Textile waste in health care"
    assert "Less textile waste at hospitals" in application.answers.values()
