"""An administrator rewords an email in Chromium: preview, save, and back to the standard wording."""

import pytest

from fundportal.models import Role
from tests.factories import PASSWORD, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_rewords_the_receipt_and_goes_back_to_the_standard(page, live_server, funder, log_in,
                                                                             assert_accessible):
    admin = staff(funder, Role.ADMINISTRATOR)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, admin.email, PASSWORD, next_path=f"/{funder.slug}/dashboard/")
    page.wait_for_url("**/dashboard/")
    page.get_by_role("button", name="Administration").click()
    page.get_by_role("link", name="Emails").click()
    page.get_by_role("link", name="Standard wording — Receipt of a submitted application, English").click()

    page.get_by_label("Text").fill("Thanks, {applicant}! Case {case_number}. {nonsense}")
    page.get_by_role("button", name="Save", exact=True).click()
    assert page.get_by_text("Unknown placeholder: {nonsense}.").is_visible()
    assert "{nonsense}" in page.get_by_label("Text").input_value()  # nothing typed is lost
    assert_accessible(page)
    page.get_by_label("Text").fill("Thanks, {applicant}! Case {case_number}.")
    page.get_by_role("button", name="Save", exact=True).click()
    assert page.get_by_text("The wording is saved.").is_visible()
    assert page.get_by_text("Thanks, Sofia Ekström! Case RS-IF-2026-0007.").is_visible()  # the preview

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Use the standard wording").click()
    assert page.get_by_text("The standard wording is used again.").is_visible()
    assert "has received your application" in page.get_by_label("Text").input_value()
