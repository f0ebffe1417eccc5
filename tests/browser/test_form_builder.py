"""An administrator builds a small form in Chromium and previews it as an applicant would see it."""

import pytest

from fundportal.models import Role
from tests.browser.steps import page_width
from tests.factories import PASSWORD, CallFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_builds_a_form_and_previews_it(page, live_server, funder, log_in, assert_accessible):
    admin = staff(funder, Role.ADMINISTRATOR)
    call = CallFactory(fund__funder=funder, slug="innovationsfonden-2025", title={"sv": "Innovationsfonden 2025"})
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, admin.email, PASSWORD, next_path=f"/{funder.slug}/manage/calls/")
    page.get_by_role("link", name="Innovationsfonden 2025").click()
    assert_accessible(page)

    page.get_by_role("link", name="Application form").click()
    page.get_by_label("Section title (English)").fill("The project")
    page.get_by_role("button", name="Add the section").click()
    assert page.get_by_text("The section is added.").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add a question").click()
    page.get_by_label("Kind").select_option("long_text")
    page.get_by_label("Question (English)").fill("Purpose of the project")
    page.get_by_label("Word limit").fill("300")
    assert_accessible(page)
    page.get_by_role("button", name="Save the question").click()

    page.get_by_role("link", name="Add a question").click()
    page.get_by_label("Kind").select_option("declaration")
    page.get_by_label("Question (English)").fill("The result is owned by Region Stockholm")
    page.get_by_role("button", name="Save the question").click()
    assert page.get_by_role("link", name="Purpose of the project").is_visible()
    for title in ("Budget and financing of the project", "Implementation in the organisation"):
        page.get_by_label("Section title (English)").fill(title)
        page.get_by_role("button", name="Add the section").click()
    page.set_viewport_size({"width": 390, "height": 844})  # on a phone: every button within the screen
    assert page_width(page) <= 390
    for button in page.get_by_role("button").all():
        box = button.bounding_box()
        assert box is None or box["x"] + box["width"] <= 390, button.inner_text()
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Preview as an applicant").click()
    assert page.get_by_label("Purpose of the project").is_visible()
    assert page.get_by_label("The result is owned by Region Stockholm").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Check my answers").click()
    assert page.get_by_text("This field is required.").first.is_visible()
    assert call.slug in page.url


def test_the_period_and_criteria_pages_pass_axe_and_show_errors(page, live_server, funder, log_in, assert_accessible):
    admin = staff(funder, Role.ADMINISTRATOR)
    call = CallFactory(fund__funder=funder, slug="innovationsfonden-2025")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, admin.email, PASSWORD, next_path=f"/{funder.slug}/manage/calls/{call.slug}/criteria/")
    page.wait_for_url("**/criteria/")
    page.get_by_label("Criterion (English)").first.fill("Significant need")  # the first of the empty rows
    page.get_by_label("Weight (%)").first.fill("30")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("The criteria weights add up to 30 %; they must add up to 100 %.").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/{funder.slug}/manage/calls/{call.slug}/periods/")
    assert_accessible(page)
