"""The outbox counts emails as the worker sends them, live, without reloading the page."""

import pytest
from playwright.sync_api import expect

from fundportal.models import OutboxEmail, Role
from fundportal.tasks import send_outbox_email
from fundportal.tenancy import scope
from tests.factories import PASSWORD, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_outbox_shows_sending_progress_as_it_happens(page, live_server, funder, log_in, assert_accessible):
    admin = staff(funder, Role.ADMINISTRATOR)
    with scope(funder=funder):
        waiting = [OutboxEmail.objects.create(funder=funder, recipient=f"applicant{n}@example.se", subject="Beslut",
                                              body="Beslut om din ansökan", kind="decision", occasion=f"decision:{n}",
                                              batch="decisions:1", status=OutboxEmail.Status.PENDING)
                   for n in range(3)]
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, admin.email, PASSWORD, next_path=f"/{funder.slug}/manage/outbox/?batch=decisions:1")
    page.wait_for_url("**/manage/outbox/**")
    progress = page.locator("#outbox-progress")
    expect(progress).to_contain_text("3 Waiting to be sent")
    assert_accessible(page)
    page.evaluate("() => { window.notReloaded = true; }")

    send_outbox_email.apply(kwargs={"funder_id": funder.pk, "email_id": waiting[0].pk})  # the worker sends one
    expect(progress).to_contain_text("1 Sent", timeout=8000)
    expect(progress).to_contain_text("2 Waiting to be sent")
    for email in waiting[1:]:
        send_outbox_email.apply(kwargs={"funder_id": funder.pk, "email_id": email.pk})
    expect(progress).to_contain_text("3 Sent", timeout=8000)
    expect(progress).to_contain_text("0 Waiting to be sent")
    assert page.evaluate("() => window.notReloaded === true")  # counted in place, not by reloading
    expect(progress).not_to_have_attribute("hx-trigger", "every 2s")  # nothing pending: polling stops
