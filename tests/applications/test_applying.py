"""Applicants write, complete and submit applications, and never lose what they typed."""

import subprocess
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.lifecycle import State
from applications.models import Application, Attachment, Revision
from calls.models import Question
from fundportal.models import LocalMail, OutboxEmail
from fundportal.tenancy import scope

pytestmark = pytest.mark.django_db


def url(name, funder, *args):
    return reverse(f"applications:{name}", args=[funder.slug, *args])


def questions(funder, call):
    with scope(funder=funder):
        return {str(q.label["en"]): q for q in Question.objects.filter(section__call=call)}


def start(client, funder, call, answer="yes", **extra):
    with scope(funder=funder):
        eligibility = call.eligibility_questions.get()
    return client.post(url("start", funder, call.slug), {
        f"eligibility-e{eligibility.pk}": answer, "start-application_type": "new", **extra})


def the_application(funder):
    with scope(funder=funder):
        return Application.objects.get()


def section_post(application, data):
    return {"version": application.version, **{f"answers-{key}": value for key, value in data.items()}}


def test_an_eligible_applicant_starts_a_draft_and_an_ineligible_one_is_told_why(client, funder, open_call, applicant):
    client.force_login(applicant)
    refused = start(client, funder, open_call, answer="no")
    assert "Only people who work at least half time in the region may apply." in refused.content.decode()
    with scope(funder=funder):
        assert not Application.objects.exists()

    response = start(client, funder, open_call)
    application = the_application(funder)
    assert response["Location"] == url("section", funder, application.pk, 1)
    assert (application.state, application.applicant, application.period.call) == (State.DRAFT, applicant, open_call)


def test_an_anonymous_visitor_is_asked_to_sign_in_first(client, funder, open_call):
    response = client.get(url("start", funder, open_call.slug))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_draft_keeps_an_answer_that_breaks_the_word_limit_and_says_so(client, funder, open_call, applicant):
    client.force_login(applicant)
    start(client, funder, open_call)
    application = the_application(funder)
    purpose = questions(funder, open_call)["Purpose"]
    too_long = "one two three four five six seven"
    response = client.post(url("autosave", funder, application.pk, 1),
                           {**section_post(application, {f"q{purpose.pk}": too_long}), "title": "Textile waste"})
    body = response.json()
    assert body["status"] == "saved"
    assert "7 words; at most 5 are allowed." in body["errors"][f"q{purpose.pk}"][0]
    application.refresh_from_db()
    assert application.answers[f"q{purpose.pk}"] == too_long and application.title == "Textile waste"


def test_a_stale_page_cannot_overwrite_a_later_save(client, funder, open_call, applicant):
    client.force_login(applicant)
    start(client, funder, open_call)
    application = the_application(funder)
    purpose = f"q{questions(funder, open_call)['Purpose'].pk}"
    first_tab = section_post(application, {purpose: "written in tab one"})
    second_tab = section_post(application, {purpose: "written in tab two"})
    assert client.post(url("autosave", funder, application.pk, 1), first_tab).status_code == 200
    conflict = client.post(url("autosave", funder, application.pk, 1), second_tab)
    assert conflict.status_code == 409
    assert "changed in another window" in conflict.json()["message"]
    application.refresh_from_db()
    assert application.answers[purpose] == "written in tab one"


def test_autosave_tells_a_signed_out_person_their_text_stays(client, funder, open_call, applicant):
    client.force_login(applicant)
    start(client, funder, open_call)
    application = the_application(funder)
    client.logout()
    client.cookies["django_language"] = "en"  # logging out clears the cookies
    response = client.post(url("autosave", funder, application.pk, 1), section_post(application, {}))
    assert response.status_code == 401 and "your text stays on this page" in response.json()["message"]


def test_the_budget_totals_and_the_amount_applied_for_are_derived(client, funder, open_call, applicant):
    client.force_login(applicant)
    start(client, funder, open_call)
    application = the_application(funder)
    budget = f"q{questions(funder, open_call)['Budget'].pk}"
    client.post(url("section", funder, application.pk, 2), {
        "version": application.version, f"answers-{budget}-0-year1": "400000", f"answers-{budget}-0-year2": "245497",
        f"answers-{budget}-1-year1": "600000", f"answers-{budget}-1-year2": "0"})
    application.refresh_from_db()
    assert application.amount_requested == 1245497
    page = client.get(url("detail", funder, application.pk)).content.decode()
    assert "SEK\xa01,245,497" in page


def upload(client, funder, application, question, name, content, reason=""):
    return client.post(url("attachment_upload", funder, application.pk, question.pk),
                       {"file": SimpleUploadedFile(name, content), "confidential_reason": reason}, follow=True)


def test_attachments_are_checked_by_content_and_size_before_they_are_stored(client, funder, open_call, applicant, settings):
    client.force_login(applicant)
    start(client, funder, open_call)
    application = the_application(funder)
    quote = questions(funder, open_call)["Quote"]

    disguised = upload(client, funder, application, quote, "quote.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    assert "not one of the allowed types (pdf), judging by its content" in disguised.content.decode()
    oversized = upload(client, funder, application, quote, "big.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1))
    assert "at most 1 MB is allowed" in oversized.content.decode()
    with scope(funder=funder):
        assert not Attachment.objects.exists()
    assert not (settings.MEDIA_ROOT / "funders").exists()

    upload(client, funder, application, quote, "Offert Ärende.pdf", b"%PDF-1.7\nquote", reason="Supplier's prices")
    with scope(funder=funder):
        attachment = Attachment.objects.get()
    assert attachment.file.name.startswith(f"funders/{funder.slug}/applications/{application.pk}/")
    assert "Offert" not in attachment.file.name and attachment.confidential_reason == "Supplier's prices"
    download = client.get(url("attachment", funder, application.pk, attachment.pk))
    assert b"".join(download.streaming_content) == b"%PDF-1.7\nquote"


def test_someone_else_cannot_download_an_attachment(client, funder, open_call, applicant):
    from tests.factories import UserFactory

    client.force_login(applicant)
    start(client, funder, open_call)
    application = the_application(funder)
    upload(client, funder, application, questions(funder, open_call)["Quote"], "quote.pdf", b"%PDF-1.7\nquote")
    with scope(funder=funder):
        attachment = Attachment.objects.get()
    client.force_login(UserFactory())
    assert client.get(url("attachment", funder, application.pk, attachment.pk)).status_code == 404


def fill_everything(client, funder, call, application):
    q = questions(funder, call)
    client.post(url("section", funder, application.pk, 1), {
        **section_post(application, {f"q{q['Purpose'].pk}": "Less textile waste", f"q{q['The result is owned by Region Stockholm'].pk}": "on"}),
        "title": "Textile waste in health care"})
    application.refresh_from_db()
    budget = f"q{q['Budget'].pk}"
    client.post(url("section", funder, application.pk, 2), {
        "version": application.version, f"answers-{budget}-0-year1": "450000"})


def submitted_application(client, funder, call, applicant):
    """The story's first half: an applicant starts, fills in everything and submits."""
    client.force_login(applicant)
    start(client, funder, call)
    application = the_application(funder)
    fill_everything(client, funder, call, application)
    client.post(url("submit", funder, application.pk))
    application.refresh_from_db()
    return application


def test_the_summary_lists_what_is_missing_with_links(client, funder, open_call, applicant):
    client.force_login(applicant)
    start(client, funder, open_call)
    application = the_application(funder)
    page = client.get(url("submit", funder, application.pk)).content.decode()
    purpose = questions(funder, open_call)["Purpose"]
    assert f'{url("section", funder, application.pk, 1)}#question-q{purpose.pk}' in page
    assert "This field is required." in page
    refused = client.post(url("submit", funder, application.pk), follow=True)
    assert "This field is required." in refused.content.decode()
    application.refresh_from_db()
    assert application.state == State.DRAFT


@pytest.mark.django_db(transaction=True)
def test_submitting_gives_a_case_number_a_snapshot_and_a_receipt_with_the_pdf(client, funder, open_call, applicant, mailoutbox_to_db, tmp_path):
    client.force_login(applicant)
    start(client, funder, open_call)
    application = the_application(funder)
    fill_everything(client, funder, open_call, application)

    response = client.post(url("submit", funder, application.pk), follow=True)
    year = timezone.localdate().year
    assert f"RS-IF-{year}-0001" in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and application.case_number == f"RS-IF-{year}-0001"
    with scope(funder=funder):
        revision = Revision.objects.get(application=application)
        assert revision.answers == application.answers
        receipt = OutboxEmail.objects.get(kind="receipt")
    assert receipt.status == OutboxEmail.Status.SENT
    mail = LocalMail.objects.get(recipient=applicant.email)
    assert application.case_number in mail.subject and mail.attachments[0]["filename"] == f"{application.case_number}.pdf"
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(receipt.attachment.open("rb").read())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert application.case_number in text and "Textile waste in health care" in text
    assert "450 000" in text.replace("\xa0", " ") or "450,000" in text


def a_filled_draft_past_its_deadline(client, funder, open_call, applicant, closed_ago):
    """Story step: the applicant fills in everything, and the period closes ``closed_ago`` before now."""
    client.force_login(applicant)
    start(client, funder, open_call)
    application = the_application(funder)
    fill_everything(client, funder, open_call, application)
    with scope(funder=funder):
        period = application.period
        period.closes_at = timezone.now() - closed_ago
        period.save()
    return application


def test_a_late_submission_is_refused_with_the_deadline_and_the_draft_is_kept(client, funder, open_call, applicant):
    application = a_filled_draft_past_its_deadline(client, funder, open_call, applicant, timedelta(minutes=1))
    response = client.post(url("submit", funder, application.pk), follow=True)
    page = response.content.decode()
    assert "The deadline was" in page and "(Europe/Stockholm)" in page and "Your draft is kept." in page
    application.refresh_from_db()
    assert application.state == State.DRAFT and "Less textile waste" in str(application.answers)


def test_an_administrator_can_extend_one_applicants_deadline(client, funder, open_call, applicant, people):
    application = a_filled_draft_past_its_deadline(client, funder, open_call, applicant, timedelta(hours=1))
    client.force_login(people["administrator"])
    until = timezone.localtime(timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(url("extension", funder, application.pk), {"until": until}).status_code == 302
    client.force_login(applicant)
    client.post(url("submit", funder, application.pk))
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_the_manager_must_approve_by_the_emailed_link_before_submission(client, funder, open_call, applicant, mailoutbox_to_db, django_capture_on_commit_callbacks):
    open_call.requires_manager_approval = True
    open_call.save()
    client.force_login(applicant)
    start(client, funder, open_call)
    application = the_application(funder)
    fill_everything(client, funder, open_call, application)
    assert "Your manager has not approved" in client.get(url("submit", funder, application.pk)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("people", funder, application.pk), {"manager_name": "Eva Berg", "manager_email": "eva.berg@example.se"})
    mail = LocalMail.objects.get(recipient="eva.berg@example.se")
    link = next(word for word in mail.body.split() if "/approval/" in word).split("127.0.0.1:8000", 1)[-1]

    client.logout()  # the manager has no account
    client.cookies["django_language"] = "en"
    assert client.get(link).status_code == 200
    client.post(link, {"decision": "approve", "comment": "Vi står bakom projektet."})
    application.refresh_from_db()
    assert application.manager_decision == "approved" and application.manager_decided_at is not None
    assert client.get(link[:-4] + "abc/").status_code == 404

    client.force_login(applicant)
    client.post(url("submit", funder, application.pk))
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_an_applicant_withdraws_and_the_timeline_tells_it_plainly(client, funder, open_call, applicant):
    application = submitted_application(client, funder, open_call, applicant)
    client.post(url("withdraw", funder, application.pk), {"comment": "We found other funding."})
    page = client.get(url("detail", funder, application.pk)).content.decode()
    assert "Withdrawn" in page and "The application was submitted" in page and "We found other funding." in page
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN


def test_a_continuation_starts_from_the_earlier_application(client, funder, open_call, applicant):
    earlier = submitted_application(client, funder, open_call, applicant)
    with scope(funder=funder):
        eligibility = open_call.eligibility_questions.get()
    client.post(url("start", funder, open_call.slug), {
        f"eligibility-e{eligibility.pk}": "yes", "start-application_type": "continuation", "start-previous": earlier.pk})
    with scope(funder=funder):
        continuation = Application.objects.get(application_type="continuation")
    earlier.refresh_from_db()
    assert continuation.previous == earlier and continuation.answers == earlier.answers
    assert continuation.title == "Textile waste in health care"


def test_a_co_applicant_with_view_access_can_read_but_not_edit(client, funder, open_call, applicant, mailoutbox_to_db, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    client.force_login(applicant)
    start(client, funder, open_call)
    application = the_application(funder)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("people", funder, application.pk), {"email": "Maria@Example.se", "access": "view"})
    assert LocalMail.objects.filter(recipient="maria@example.se").exists()
    client.force_login(UserFactory(email="maria@example.se"))
    assert client.get(url("detail", funder, application.pk)).status_code == 200
    assert client.get(url("section", funder, application.pk, 1)).status_code == 403


def test_my_applications_lists_every_funder_and_keeps_its_query_count(client, funder, other_funder, applicant, django_assert_max_num_queries):
    from tests.factories import ApplicationFactory

    client.force_login(applicant)
    ApplicationFactory(call__fund__funder=funder, applicant=applicant, title="Textile waste")
    with django_assert_max_num_queries(12) as one:
        page = client.get(reverse("my_applications")).content.decode()
    assert "Textile waste" in page
    ApplicationFactory.create_batch(5, call__fund__funder=other_funder, applicant=applicant)
    ApplicationFactory.create_batch(5, call__fund__funder=funder, applicant=applicant)
    with django_assert_max_num_queries(12) as many:
        page = client.get(reverse("my_applications")).content.decode()
    assert "Forskningsrådet" in page
    assert len(many) == len(one)


def test_a_call_with_theme_areas_asks_for_the_theme_when_starting(client, funder, open_call, applicant):
    open_call.themes = ["Digitalisering", "Helsetjenester"]
    open_call.save()
    client.force_login(applicant)
    page = start(client, funder, open_call).content.decode()
    assert "This field is required." in page
    start(client, funder, open_call, **{"start-theme": "Helsetjenester"})
    assert the_application(funder).theme == "Helsetjenester"


def test_the_financing_plan_must_cover_the_costs_exactly(client, funder, open_call, applicant):
    with scope(funder=funder):
        money = open_call.sections.get(position=1)
        plan = Question.objects.create(funder=funder, section=money, position=2, kind="budget", label={"en": "Financing"},
                                       settings={"financiers": ["Region Stockholm", "Own funds"], "years": 1})
    client.force_login(applicant)
    start(client, funder, open_call)
    application = the_application(funder)
    with scope(funder=funder):
        costs = open_call.sections.get(position=1).questions.get(position=0)
        application.answers = {f"q{costs.pk}": [{"year1": "400000"}, {"year1": "45497"}],
                               f"q{plan.pk}": [{"year1": "400000"}, {"year1": "40000"}]}
        application.save(update_fields=["answers"])
    page = client.get(url("submit", funder, application.pk)).content.decode().replace("\xa0", " ")
    assert "The financing adds up to SEK 440,000 and the costs to SEK 445,497; they must be equal." in page
    with scope(funder=funder):
        application.answers[f"q{plan.pk}"] = [{"year1": "400000"}, {"year1": "45497"}]
        application.save(update_fields=["answers"])
    assert "they must be equal" not in client.get(url("submit", funder, application.pk)).content.decode()
