"""Every page an administrator or a visitor can open passes axe-core (WCAG 2.1 AA) in Chromium."""

import pytest
from django.core.management import call_command

from calls.models import Subscriber
from calls.notices import subscription_token
from fundportal.demo import DEMO_PASSWORD
from fundportal.models import Funder
from fundportal.tenancy import scopes_disabled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CALL = "/region-stockholm/manage/calls/innovationsfonden-2024"
ADMIN_PAGES = [
    f"{CALL}/", f"{CALL}/periods/", f"{CALL}/eligibility/", f"{CALL}/criteria/", f"{CALL}/pipeline/",
    f"{CALL}/history/", f"{CALL}/copy/", f"{CALL}/form/", f"{CALL}/form/preview/", "/region-stockholm/manage/calls/new/",
    "/region-stockholm/dashboard/", "/mailbox/",
]


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_public_pages_pass_axe(page, live_server, demo, assert_accessible, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    with scopes_disabled():
        subscriber = Subscriber.objects.create(funder=Funder.objects.get(slug="region-stockholm"),
                                               email="anna@example.se", language="sv")
    token = subscription_token(subscriber)
    for path in ["/", "/calls/", "/forskningsradet/", "/region-stockholm/calls/innovationsfonden-2024/eligibility/",
                 "/region-stockholm/subscribe/", f"/region-stockholm/subscribe/confirm/{token}/",
                 f"/region-stockholm/subscribe/cancel/{token}/", "/accounts/signup/", "/accounts/password/reset/",
                 "/no-such-page/"]:
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_administrator_pages_pass_axe(page, live_server, demo, log_in, assert_accessible):
    page.context.add_cookies([{"name": "django_language", "value": "sv", "url": live_server.url}])
    log_in(page, "admin@region-stockholm.demo", DEMO_PASSWORD, next_path="/region-stockholm/dashboard/")
    page.wait_for_url("**/dashboard/")
    for path in ADMIN_PAGES:
        page.goto(live_server.url + path)
        assert_accessible(page)
