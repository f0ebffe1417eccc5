"""A staff member of a funder that asks for two factors is led to set up an authenticator app before any staff
page, in Chromium at a desktop's and a phone's width: the code is computed from the secret the page shows."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from fundportal.models import Role
from tests.browser.conftest import SavedPages
from tests.browser.steps import confirm_it_is_you, page_width
from tests.factories import PASSWORD, staff
from tests.signing_in import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_a_screener_sets_up_an_authenticator_app_and_reaches_the_queue(page, live_server, funder, log_in,
                                                                        assert_accessible, tmp_path, width):
    funder.staff_two_factor_required = True
    funder.save()
    screener = staff(funder, Role.SCREENER, user__email="sara@regionstockholm.example")
    queue = reverse("review:queue", args=[funder.slug])
    saved = SavedPages(tmp_path)

    def looks_right(page):
        assert page_width(page) <= width, f"{page.url} scrolls sideways at {width} px"
        saved.save(page)  # before axe adds its script
        assert_accessible(page)

    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, screener.email, PASSWORD, next_path=queue)

    page.wait_for_url("**/accounts/2fa/required/")
    assert page.get_by_text("Region Stockholm asks everyone who holds a role there to sign in with two factors").is_visible()
    looks_right(page)
    page.goto(f"{live_server.url}{queue}")
    assert page.url.endswith("/accounts/2fa/required/")  # the queue stays closed

    page.get_by_role("link", name="Set up an authenticator app").click()
    looks_right(page)  # allauth asks for the password before a second factor is added
    confirm_it_is_you(page)
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert page.get_by_role("img").first.is_visible()  # the QR code
    looks_right(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()

    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) == 10 and page.get_by_role("link", name="Download codes").is_visible()
    looks_right(page)
    page.get_by_role("link", name="Continue to where you were going").click()

    page.wait_for_url(f"**{queue}")
    assert page.get_by_role("heading", level=1).is_visible()
    assert Authenticator.objects.filter(user=screener, type=Authenticator.Type.TOTP).exists()
    menu_link = page.locator(f"header a[href='{reverse('mfa_index')}']")  # in the person's menu
    assert menu_link.inner_text() == "Two-factor authentication"
    page.goto(f"{live_server.url}{reverse('mfa_index')}")
    assert page.get_by_text("Authentication using an authenticator app is active.").is_visible()
    looks_right(page)
    assert not saved.html_errors()


def test_a_passkey_is_a_second_factor_and_signs_in_on_its_own(page, live_server, funder, log_in, assert_accessible):
    """Chromium's virtual authenticator (a platform passkey that checks its holder) stands in for a phone's."""
    funder.staff_two_factor_required = True
    funder.save()
    screener = staff(funder, Role.SCREENER, user__email="sara@regionstockholm.example")
    queue = reverse("review:queue", args=[funder.slug])
    webauthn = page.context.new_cdp_session(page)
    webauthn.send("WebAuthn.enable")
    webauthn.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, screener.email, PASSWORD, next_path=queue)

    page.wait_for_url("**/accounts/2fa/required/")
    page.get_by_role("link", name="Add a passkey").click()
    confirm_it_is_you(page)
    page.wait_for_url("**/accounts/2fa/webauthn/add/")
    assert_accessible(page)
    page.get_by_label("Name").fill("Sara's laptop")
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add").click()

    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    page.get_by_role("link", name="Continue to where you were going").click()
    page.wait_for_url(f"**{queue}")
    assert Authenticator.objects.filter(user=screener, type=Authenticator.Type.WEBAUTHN).exists()

    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/?next={queue}")
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url(f"**{queue}")  # the passkey, unlocked by its holder, is both factors
