"""A person signs in with the funder's e-ID in Chromium: from the funder's page, through the local broker
(tests/fundportal/oidc_provider.py), back signed in."""

import pytest

from fundportal.identity import identity_provider_save
from tests.fundportal.oidc_provider import CLIENT_ID, CLIENT_SECRET, local_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def broker():
    with local_provider() as provider:
        yield provider


def test_a_person_signs_in_with_bankid_from_the_funders_page(page, live_server, funder, broker, assert_accessible):
    identity_provider_save(funder=funder, display_name="BankID", issuer=broker.issuer, client_id=CLIENT_ID,
                           client_secret=CLIENT_SECRET, enabled=True)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/{funder.slug}/")
    page.get_by_role("link", name="Sign in").click()
    page.wait_for_url("**/accounts/login/**")
    assert page.locator("input[name=password]").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign in with BankID").click()

    page.wait_for_url(f"{live_server.url}/{funder.slug}/")
    assert page.get_by_role("button", name="Anna").is_visible()  # the signed-in person's menu
    assert page.get_by_role("link", name="My applications").is_visible()


def test_a_refused_answer_is_said_plainly_in_the_browser(page, live_server, funder, broker, assert_accessible):
    identity_provider_save(funder=funder, display_name="BankID", issuer=broker.issuer, client_id=CLIENT_ID,
                           client_secret=CLIENT_SECRET, enabled=True)
    broker.misbehave(expired=True)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/?next=/{funder.slug}/")

    page.get_by_role("button", name="Sign in with BankID").click()

    page.wait_for_url("**/sign-in/e-id/callback/**")
    assert page.get_by_role("alert").inner_text() == "The e-ID service's answer has expired. Please sign in again."
    assert page.get_by_role("link", name="Sign in", exact=True).is_visible()
    assert_accessible(page)
