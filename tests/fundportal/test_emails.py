"""Administrators reword the portal's emails per kind and language; the portal keeps the legal footer."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.lifecycle import State
from applications.notices import completion_request
from applications.tasks import funder_reminders
from calls.models import Period
from fundportal.emails import KINDS, email_template_save
from fundportal.models import EmailTemplate, OutboxEmail, Role
from fundportal.tenancy import scope, scopes_disabled
from tests.factories import ApplicationFactory, CallFactory, UserFactory, staff

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def emails_to(funder, recipient):
    with scope(funder=funder):
        return list(OutboxEmail.objects.filter(recipient=recipient).order_by("pk"))


def returned_application(funder, language):
    return ApplicationFactory(call=CallFactory(fund__funder=funder), state=State.RETURNED,
                              applicant=UserFactory(language=language), case_number=f"{funder.short_name}-{language}-7",
                              completion_due=timezone.now() + timedelta(days=5))


def test_the_funders_own_swedish_wording_reaches_swedish_applicants_only(funder, other_funder):
    with scope(funder=funder):
        email_template_save(funder=funder, kind="completion_request", language="sv",
                            subject="Dags att komplettera {case_number}", body="Hej {applicant}! {comment} Senast {due}.")
    swedish, english = returned_application(funder, "sv"), returned_application(funder, "en")
    elsewhere = returned_application(other_funder, "sv")
    for application in (swedish, english):
        with scope(funder=funder):
            completion_request(application, "Bifoga budgeten.")
    with scope(funder=other_funder):
        completion_request(elsewhere, "Legg ved budsjettet.")

    [to_swede] = emails_to(funder, swedish.applicant.email)
    assert to_swede.subject == f"Dags att komplettera {swedish.case_number}"
    assert to_swede.body.startswith(f"Hej {swedish.applicant}! Bifoga budgeten. Senast ")
    assert "(Europe/Stockholm)" in to_swede.body  # the due time carries the funder's time zone
    [to_english] = emails_to(funder, english.applicant.email)
    assert to_english.subject == f"Please complete your application {english.case_number}"
    [to_other] = emails_to(other_funder, elsewhere.applicant.email)
    assert to_other.subject == f"Komplettera din ansökan {elsewhere.case_number}"  # the standard wording


def test_an_unknown_placeholder_is_refused_and_the_typed_text_is_kept(client, funder):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    url = reverse("email_template", args=[funder.slug, "receipt", "en"])
    page = client.post(url, {"subject": "Received {case_number}", "body": "Thanks {name}, see {url}"}).content.decode()
    assert "Unknown placeholder: {name}." in page
    assert "Thanks {name}, see {url}" in page  # nothing the administrator typed is lost
    page = client.post(url, {"subject": "Received {deadline}", "body": "x"}).content.decode()
    assert "Unknown placeholder: {deadline}." in page  # a placeholder of another kind of email
    with scope(funder=funder):
        assert not EmailTemplate.objects.exists()


def test_the_preview_reads_like_the_email_and_the_standard_wording_can_come_back(client, funder):
    client.force_login(staff(funder, Role.ADMINISTRATOR, user__first_name="Karin", user__last_name="Lind"))
    url = reverse("email_template", args=[funder.slug, "draft_reminder", "en"])
    page = client.post(url, {"subject": "Deadline soon", "body": "Dear {applicant}, submit by {deadline}."},
                       follow=True).content.decode()
    assert "The wording is saved." in page and "This is your own wording." in page
    assert "by Karin Lind." in page  # who changed it last, and when
    assert "Dear Sofia Ekström, submit by 2026-03-15 23:59." in page  # the preview's sample values
    assert "turn them off in your profile" in page  # the portal's footer is always there
    page = client.post(url, {"reset": "1"}, follow=True).content.decode()
    assert "The standard wording is used again." in page and "is still a draft" in page
    with scope(funder=funder):
        assert not EmailTemplate.objects.exists()


def closing_draft(funder, applicant):
    call = CallFactory(fund__funder=funder, reminder_days=7)
    with scopes_disabled():
        period = Period.objects.create(funder=funder, call=call, opens_at=datetime(2026, 3, 1, tzinfo=STOCKHOLM),
                                       closes_at=datetime(2026, 3, 30, 23, 59, tzinfo=STOCKHOLM))
    return ApplicationFactory(call=call, period=period, state=State.DRAFT, applicant=applicant)


def run_reminders(funder):
    nine_o_clock = datetime(2026, 3, 29, 9, 0, tzinfo=STOCKHOLM)
    funder_reminders.apply(kwargs={"funder_id": funder.pk, "now": nine_o_clock.isoformat()}).get()


def test_a_reminder_always_ends_with_the_settings_link_even_in_the_funders_own_wording(funder):
    with scope(funder=funder):
        email_template_save(funder=funder, kind="draft_reminder", language="en", subject="Hurry", body="Submit {project}.")
    draft = closing_draft(funder, UserFactory(language="en"))
    run_reminders(funder)
    [reminder] = emails_to(funder, draft.applicant.email)
    assert reminder.body.startswith(f"Submit {draft.title}.")
    assert "/my/profile/#id_wants_reminders" in reminder.body


def test_an_applicant_who_turns_reminders_off_gets_none(client, funder):
    applicant = UserFactory(language="en")
    client.force_login(applicant)
    client.post(reverse("profile"), {"first_name": "Annika", "last_name": "Berg"})  # the box left unticked
    applicant.refresh_from_db()
    assert applicant.wants_reminders is False
    closing_draft(funder, applicant)
    run_reminders(funder)
    assert emails_to(funder, applicant.email) == []


@pytest.mark.parametrize(("role", "status"), [(Role.ADMINISTRATOR, 200), (Role.SCREENER, 403), (Role.PANEL_MEMBER, 403),
                                              (Role.STEERING_MEMBER, 403), (None, 404)])
def test_only_administrators_reword_emails(client, funder, role, status):
    client.force_login(staff(funder, role) if role else UserFactory())
    for url in (reverse("email_templates", args=[funder.slug]),
                reverse("email_template", args=[funder.slug, "receipt", "sv"])):
        assert client.get(url).status_code == status


def test_an_unknown_kind_or_language_is_not_found(client, funder):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    assert client.get(reverse("email_template", args=[funder.slug, "receipt", "fi"])).status_code == 404
    assert client.get(reverse("email_template", args=[funder.slug, "birthday", "sv"])).status_code == 404


def test_the_email_pages_keep_their_query_count(client, funder, django_assert_max_num_queries):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    urls = (reverse("email_templates", args=[funder.slug]), reverse("email_template", args=[funder.slug, "receipt", "sv"]))
    with scope(funder=funder):
        email_template_save(funder=funder, kind="receipt", language="sv", subject="Tack", body="Tack {applicant}")
    with django_assert_max_num_queries(12) as one:
        for url in urls:
            client.get(url)
    with scope(funder=funder):
        for kind in KINDS:
            for language in ("sv", "nb", "en"):
                email_template_save(funder=funder, kind=kind, language=language, subject="S", body="B")
    with django_assert_max_num_queries(12) as many:
        for url in urls:
            client.get(url)
    assert len(many) == len(one)


@pytest.mark.parametrize("language", ["sv", "nb", "en"])
def test_every_kind_of_email_opens_with_its_preview_in_every_language(client, funder, language):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    for kind in KINDS:
        page = client.get(reverse("email_template", args=[funder.slug, kind, language]))
        assert page.status_code == 200, kind
        assert page.context["preview"] and "{" not in page.context["preview"][1], kind  # every placeholder filled


def test_an_administrator_sends_the_saved_wording_to_themself_as_a_test(client, funder, mailoutbox_to_db,
                                                                         django_capture_on_commit_callbacks):
    from fundportal.models import LocalMail

    admin = staff(funder, Role.ADMINISTRATOR, user__email="karin@regionstockholm.example")
    client.force_login(admin)
    url = reverse("email_template", args=[funder.slug, "receipt", "en"])
    client.post(url, {"subject": "Received: {case_number}", "body": "Thank you, {applicant}."})
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, {"send_test": "1"}, follow=True).content.decode()
    assert "A test email with sample values is on its way to karin@regionstockholm.example." in page
    mail = LocalMail.objects.get(recipient="karin@regionstockholm.example")
    assert mail.subject == "Received: RS-IF-2026-0007" and mail.body.startswith("Thank you, Sofia Ekström.")
    assert "Region Stockholm" in mail.html  # the funder's layout, as applicants get it
