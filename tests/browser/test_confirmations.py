"""Confirmations in Chromium: asked once, through the page's script (no inline handlers); "Cancel" sends nothing."""

import pytest

from applications.drafting import application_start
from applications.lifecycle import State
from fundportal.tenancy import scope
from tests.factories import PASSWORD, staff
from tests.browser.steps import answering

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_withdrawing_asks_once_and_cancelling_keeps_the_application(page, live_server, funder, open_call, applicant,
                                                                   log_in):
    with scope(funder=funder):
        application = application_start(call=open_call, applicant=applicant, application_type="new")
    detail = f"/{funder.slug}/applications/{application.pk}/"
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, applicant.email, PASSWORD, next_path=detail)
    answer = [False]
    asked = answering(page, answer)

    page.get_by_role("button", name="Withdraw").click()
    assert asked == ["Withdraw the application? This cannot be undone."]
    application.refresh_from_db()
    assert application.state == State.DRAFT and page.url.endswith(detail)

    answer[0] = True
    page.get_by_role("button", name="Withdraw").click()
    page.get_by_text("Your application is withdrawn.").wait_for()
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN and len(asked) == 2


def test_a_page_that_loads_the_script_twice_still_asks_once(page, live_server, funder, open_call, log_in):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, staff(funder).email, PASSWORD, next_path=f"/{funder.slug}/manage/calls/{open_call.slug}/")
    asked = answering(page, [False])
    page.get_by_role("button", name="Archive").click()
    assert asked == ["Archive the call?"]
    open_call.refresh_from_db()
    assert open_call.archived_at is None
