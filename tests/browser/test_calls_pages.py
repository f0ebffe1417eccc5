"""An applicant finds an open call in Chromium; every public call page passes axe-core."""

import pytest
from django.core.management import call_command

from fundportal.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("sv", "Innovasjonsprosjekt i offentlig sektor"),  # no Swedish text: the funder's own language
        ("nb", "Innovasjonsprosjekt i offentlig sektor"),
        ("en", "Innovation project for the public sector"),
    ],
)
def test_an_applicant_goes_from_all_open_calls_to_a_call_page(page, live_server, demo, assert_accessible, language, title):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/calls/")
    assert_accessible(page)
    page.get_by_role("link", name=title).click()
    page.wait_for_url("**/forskningsradet/calls/innovasjonsprosjekt-offentlig-sektor/")
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert_accessible(page)
    page.goto(f"{live_server.url}/region-stockholm/")
    assert_accessible(page)


def test_an_administrator_sees_the_calls_dashboard(page, live_server, demo, log_in, assert_accessible):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, "admin@region-stockholm.demo", DEMO_PASSWORD, next_path="/region-stockholm/manage/calls/")
    page.wait_for_url("**/region-stockholm/manage/calls/")
    assert page.get_by_role("heading", name="Innovationsfonden").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/mailbox/")
    assert_accessible(page)
