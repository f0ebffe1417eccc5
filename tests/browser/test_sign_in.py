"""A person signs in through the real allauth page, in Chromium."""

import pytest

from fundportal.models import Role
from tests.factories import PASSWORD, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_signs_in_and_lands_on_the_funder_dashboard(page, live_server, funder, log_in, assert_accessible):
    admin = staff(funder, Role.ADMINISTRATOR, user__email="karin@regionstockholm.example")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/")
    assert_accessible(page)

    log_in(page, admin.email, PASSWORD, next_path=f"/{funder.slug}/dashboard/")

    page.wait_for_url(f"**/{funder.slug}/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text() == "Dashboard — Region Stockholm"
    assert page.get_by_text("Fund administrator").is_visible()
    assert_accessible(page)


def test_a_wrong_password_is_refused_with_a_message(page, live_server, funder, log_in, assert_accessible):
    admin = staff(funder, Role.ADMINISTRATOR)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, admin.email, "not-the-password")
    assert page.get_by_text("The email address and/or password you specified are not correct.").is_visible()
    assert_accessible(page)


def test_a_swedish_browser_gets_the_sign_in_page_in_swedish(browser, live_server, db):
    swedish = browser.new_context(locale="sv-SE")
    page = swedish.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.get_by_role("heading", level=1).inner_text() == "Logga in"
    swedish.close()
