"""A fund administrator gives a panel member a role and takes it away again, in Chromium."""

import pytest

from fundportal.models import Membership, Role
from fundportal.tenancy import scope
from tests.browser.steps import confirm_it_is_you
from tests.factories import PASSWORD, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def give_the_role(page):
    page.get_by_label("Email address").fill("petra.lind@karolinska.example")
    page.get_by_label("Role*").select_option(label="Panel member")
    page.get_by_role("button", name="Give the role").click()


def test_an_administrator_gives_and_takes_a_role(page, live_server, funder, log_in, assert_accessible):
    admin = staff(funder, Role.ADMINISTRATOR)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, admin.email, PASSWORD, next_path=f"/{funder.slug}/manage/people/")
    page.wait_for_url("**/manage/people/")
    give_the_role(page)
    confirm_it_is_you(page)  # giving a role waits until the administrator confirms it is them; nothing given yet
    page.wait_for_url("**/manage/people/")
    give_the_role(page)
    assert page.get_by_text("petra.lind@karolinska.example now holds the role Panel member").is_visible()
    assert_accessible(page)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove — Panel member, petra.lind@karolinska.example").click()
    assert page.get_by_text("no longer holds the role Panel member").is_visible()
    assert page.get_by_text("Role taken away: Panel member — petra.lind@karolinska.example").is_visible()
    with scope(funder=funder):
        assert not Membership.objects.filter(role=Role.PANEL_MEMBER).exists()
