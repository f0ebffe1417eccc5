"""The applicant's journey as they see it: what the pages say up front, and what they sent comes back unchanged."""

import subprocess
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from applications.lifecycle import State
from applications.services import application_transition
from applications.submission import application_return_for_completion
from calls.models import Call, Question
from fundportal.models import Role
from fundportal.tenancy import scope, scopes_disabled
from tests.applications.test_applying import (
    a_filled_draft_past_its_deadline, fill_everything, questions, section_post, start, submitted_application,
    the_application, url,
)
from tests.factories import staff

pytestmark = pytest.mark.django_db

PARTICIPANTS = [{"name": f"Person {number}", "role": "Nurse", "organisation": "Karolinska",
                 "email": f"person{number}@ki.example", "phone": f"08-00{number}"} for number in range(1, 6)]


def pdf_text(content, tmp_path):
    pdf = tmp_path / "application.pdf"
    pdf.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


# --- Item 27: the deadline, the summary, the required marker, the demo forms -----------------------------------

def test_after_the_deadline_the_submit_page_says_so_up_front_and_offers_no_button(client, funder, open_call, applicant):
    application = a_filled_draft_past_its_deadline(client, funder, open_call, applicant, timedelta(minutes=1))
    page = client.get(url("submit", funder, application.pk)).content.decode()
    assert "The deadline was" in page and "(Europe/Stockholm)" in page and "Your draft is kept." in page
    assert "Every required answer is in place." not in page and "Submit the application" not in page


def test_after_the_deadline_the_sections_are_read_only(client, funder, open_call, applicant):
    application = a_filled_draft_past_its_deadline(client, funder, open_call, applicant, timedelta(minutes=1))
    application.refresh_from_db()
    page = client.get(url("section", funder, application.pk, 1)).content.decode()
    assert "the application can no longer be changed or submitted" in page
    assert 'id="answers-form"' not in page and "<fieldset class=\"border-0 p-0 m-0\" disabled>" in page
    purpose = f"q{questions(funder, open_call)['Purpose'].pk}"
    refused = client.post(url("section", funder, application.pk, 1), section_post(application, {purpose: "Late"}))
    assert refused.status_code == 403
    application.refresh_from_db()
    assert application.answers[purpose] == "Less textile waste"


def test_the_submit_page_shows_every_answer_before_submitting(client, funder, open_call, applicant):
    client.force_login(applicant)
    start(client, funder, open_call)
    application = the_application(funder)
    fill_everything(client, funder, open_call, application)
    page = client.get(url("submit", funder, application.pk)).content.decode()
    assert "Your answers" in page and "Less textile waste" in page and "Yes, confirmed" in page
    assert "Personnel" in page and "450,000" in page


def test_required_questions_say_so_on_the_section_page(client, funder, open_call, applicant):
    client.force_login(applicant)
    start(client, funder, open_call)
    application = the_application(funder)
    with scope(funder=funder):
        Question.objects.filter(label__en="Quote").update(required=True)
    first = client.get(url("section", funder, application.pk, 1)).content.decode()
    assert "Purpose (required)" in first
    second = client.get(url("section", funder, application.pk, 2)).content.decode()
    assert "Quote <span class=\"required-marker\">(required)</span>" in second


def test_the_demo_forms_ask_neither_the_title_nor_the_theme_a_second_time():
    call_command("seed_demo", verbosity=0)
    with scopes_disabled():
        for call in Call.objects.prefetch_related("sections__questions"):
            for question in (q for section in call.sections.all() for q in section.questions.all()):
                labels = {text.strip().lower() for text in question.label.values()}
                assert not labels & {"projektnamn", "projekttitel", "prosjekttittel", "project title"}, call.slug
                choices = (question.settings or {}).get("choices")
                assert not (call.themes and choices and set(choices) == set(call.themes)), call.slug


# --- Item 28: the eligibility result leads to the application --------------------------------------------------

def test_someone_who_may_apply_is_offered_to_start_the_application(client, funder, open_call, applicant):
    client.force_login(applicant)
    with scope(funder=funder):
        eligibility = open_call.eligibility_questions.get()
    page = client.post(reverse("calls:eligibility", args=[funder.slug, open_call.slug]),
                       {f"e{eligibility.pk}": "yes"}).content.decode()
    assert "You may apply" in page
    assert f'href="{url("start", funder, open_call.slug)}"' in page and "Start your application" in page


# --- Item 29: a returned application opens where the funder asked for more -------------------------------------

def test_a_returned_application_opens_on_the_first_part_to_complete(client, funder, open_call, applicant, mailoutbox):
    application = submitted_application(client, funder, open_call, applicant)
    screener = staff(funder, Role.SCREENER)
    with scope(funder=funder):
        application_transition(application=application, action="start_review", by=screener)
        money = open_call.sections.get(position=1)
        application_return_for_completion(application=application, by=screener, comment="Add the quote.",
                                          due=timezone.now() + timedelta(days=7), sections=[money.pk])
    page = client.get(url("detail", funder, application.pk)).content.decode()
    assert f'href="{url("section", funder, application.pk, 2)}">Continue writing' in page


# --- Items 23 and 34: what the applicant sent is what everyone reads -------------------------------------------

@pytest.fixture
def call_with_participants(funder, open_call):
    with scope(funder=funder):
        project = open_call.sections.get(position=0)
        Question.objects.create(funder=funder, section=project, position=2, kind="participants",
                                label={"en": "Project participants"}, required=False)
    return open_call


def participants_post(application, question):
    cells = {f"answers-q{question.pk}-{index}-{column}": value
             for index, row in enumerate(PARTICIPANTS) for column, value in row.items()}
    return {"version": application.version, **cells}


def test_a_table_of_five_rows_comes_back_with_five_rows_and_room_for_one_more(client, funder, call_with_participants,
                                                                              applicant):
    client.force_login(applicant)
    start(client, funder, call_with_participants)
    application = the_application(funder)
    participants = questions(funder, call_with_participants)["Project participants"]
    client.post(url("section", funder, application.pk, 1), participants_post(application, participants))
    application.refresh_from_db()
    assert application.answers[f"q{participants.pk}"] == PARTICIPANTS

    page = client.get(url("section", funder, application.pk, 1)).content.decode()
    assert all(f'value="{row["email"]}"' in page for row in PARTICIPANTS)
    assert f'name="answers-q{participants.pk}-5-name"' in page  # an empty row to add a sixth
    client.post(url("section", funder, application.pk, 1), {"version": application.version, **{
        f"answers-q{participants.pk}-{index}-{column}": value
        for index, row in enumerate(PARTICIPANTS) for column, value in row.items()}})  # saved again unchanged
    application.refresh_from_db()
    assert application.answers[f"q{participants.pk}"] == PARTICIPANTS


def test_the_screener_the_pdf_and_the_export_show_what_the_applicant_sent(client, funder, call_with_participants,
                                                                          applicant, tmp_path):
    client.force_login(applicant)
    start(client, funder, call_with_participants)
    application = the_application(funder)
    fill_everything(client, funder, call_with_participants, application)
    application.refresh_from_db()
    asked = questions(funder, call_with_participants)
    client.post(url("section", funder, application.pk, 1), {
        **participants_post(application, asked["Project participants"]), "answers-q%d" % asked["Purpose"].pk: "Less textile waste",
        "answers-q%d" % asked["The result is owned by Region Stockholm"].pk: "on"})
    client.post(url("submit", funder, application.pk))
    application.refresh_from_db()
    assert application.state == State.SUBMITTED

    receipt = pdf_text(client.get(url("pdf", funder, application.pk)).content, tmp_path)
    screener = staff(funder, Role.SCREENER)
    with scope(funder=funder):
        application_transition(application=application, action="start_review", by=screener)
    client.force_login(screener)
    screening = client.get(reverse("review:screening", args=[funder.slug, application.pk])).content.decode()
    export = client.get(reverse("review:queue_export", args=[funder.slug, "csv"])).content.decode()

    for shown in (receipt, screening):
        assert "Less textile waste" in shown and "Textile waste in health care" in shown
        assert all(row["email"] in shown for row in PARTICIPANTS)
        assert "Personnel" in shown and "Direct project costs" in shown
        assert "personnel" not in shown.replace("Personnel", "") and "direct_costs" not in shown
    assert "Textile waste in health care" in export and "450000" in export
