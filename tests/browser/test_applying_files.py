"""An applicant ticks a box and uploads a file on one page in Chromium: both are kept, and nothing is offered back."""

import pytest

from applications.models import Application
from calls.models import Question
from fundportal.tenancy import scope
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_tick_and_an_upload_made_together_are_both_kept(page, live_server, funder, open_call, applicant, log_in,
                                                         tmp_path):
    from applications.drafting import application_start

    with scope(funder=funder):
        Question.objects.create(funder=funder, section=open_call.sections.get(position=0), position=2, kind="file",
                                label={"en": "Signed declaration"}, required=False, settings={"allowed_types": ["pdf"]})
        application = application_start(call=open_call, applicant=applicant, application_type="new")
    section = f"{live_server.url}/{funder.slug}/applications/{application.pk}/sections/1/"
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, applicant.email, PASSWORD, next_path=section.removeprefix(live_server.url))
    page.wait_for_url(section)
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(b"%PDF-1.7\nsigned")

    page.get_by_label("The result is owned by Region Stockholm").check()
    page.get_by_label("Add a file").set_input_files(str(signed))
    page.get_by_role("button", name="Upload").click()  # at once, before the autosave's pause is over

    page.get_by_text("The file is added.").wait_for()
    assert page.get_by_label("The result is owned by Region Stockholm").is_checked()
    assert page.get_by_role("link", name="signed.pdf").is_visible()
    assert page.locator("#backup-banner").is_hidden()
    with scope(funder=funder):
        declaration = open_call.sections.get(position=0).questions.get(position=1)
        assert Application.objects.get().answers[f"q{declaration.pk}"] is True
