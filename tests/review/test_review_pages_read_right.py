"""The assessment's pages read right and lead on: an answer the administrator marks as identifying is hidden from an
anonymous call's panel, dates are written one way per language, confirmations need no inline handlers, the decision
page speaks the reader's language and stays open after the consensus, and the steering group's release ends on a
page it may open."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from applications.lifecycle import State
from calls.models import Period, Question, Section
from fundportal.models import Role
from fundportal.tenancy import scope, scopes_disabled
from review.decisions import decision_record
from review.services import assignment_create, assignment_declare, review_save
from tests.factories import ApplicationFactory, CallFactory, staff
from tests.html_forms import form_as_rendered

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(funder):
    return staff(funder, Role.ADMINISTRATOR)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def question_url(question):
    call = question.section.call
    return reverse("calls:manage_question", args=[call.funder.slug, call.slug, question.section_id, question.pk])


# --- Item 15: the form builder marks the questions that identify the applicant ---------------------------------------

@pytest.fixture
def clinic_question(funder, at_panel):
    """The call's form asks for the purpose and the applicant's clinic; the first application answered both."""
    call = at_panel[0].call
    with scopes_disabled():
        section = Section.objects.create(funder=funder, call=call, position=0, title={"en": "The project"})
        Question.objects.create(funder=funder, section=section, position=0, kind="long_text", label={"en": "Purpose"})
        clinic = Question.objects.create(funder=funder, section=section, position=1, kind="short_text",
                                         label={"en": "Your clinic"}, settings={"max_chars": 200})
        purpose = section.questions.get(position=0)
    application = at_panel[0]
    application.answers = {f"q{purpose.pk}": "Less textile waste in care",
                           f"q{clinic.pk}": "Karolinska Solna, klinik för infektion"}
    application.save()
    return clinic


def test_an_administrator_marks_a_question_as_identifying_and_the_anonymous_panel_no_longer_sees_its_answer(
        client, funder, at_panel, panel, admin, clinic_question):
    call = at_panel[0].call
    call.anonymous_to_panel = True
    call.save()
    with scope(funder=funder):
        assignment = assignment_create(application=at_panel[0], reviewer=panel[0], by=admin)
        assignment_declare(assignment=assignment, has_conflict=False)
    review_url = reverse("review:review", args=[funder.slug, assignment.pk])
    client.force_login(panel[0])
    assert "Karolinska Solna" in page(client, review_url)

    client.force_login(admin)
    edit = client.get(question_url(clinic_question))
    assert "Identifies the applicant (hidden from the panel when the call hides who applied)" in edit.content.decode()
    response = client.post(question_url(clinic_question), {**form_as_rendered(edit), "identifying": "on"})
    assert response.status_code == 302
    clinic_question.refresh_from_db()
    assert clinic_question.settings == {"max_chars": 200, "identifying": True}

    client.force_login(panel[0])
    reviewer_page = page(client, review_url)
    assert "Less textile waste in care" in reviewer_page
    assert "Karolinska Solna" not in reviewer_page and "Your clinic" not in reviewer_page


def test_the_identifying_mark_survives_an_unchanged_save_and_is_not_kept_for_a_number(client, funder, at_panel, admin,
                                                                                      clinic_question):
    with scopes_disabled():
        Question.objects.filter(pk=clinic_question.pk).update(settings={"identifying": True})
        number = Question.objects.create(funder=funder, section=clinic_question.section, position=2, kind="number",
                                         label={"en": "Staff involved"})
    client.force_login(admin)
    for question, expected in ((clinic_question, {"identifying": True}), (number, {})):
        edit = client.get(question_url(question))
        assert client.post(question_url(question), {**form_as_rendered(edit), "identifying": "on"}
                           if question == number else form_as_rendered(edit)).status_code == 302
        question.refresh_from_db()
        assert question.settings == expected


# --- Items 26 and 31: dates one way per language; no inline handlers --------------------------------------------------

@pytest.fixture
def reviewed(funder, at_panel, panel, admin):
    """Panel member 1 reviewed the first application (due 1 March 2027) and has the second still to do."""
    with scope(funder=funder):
        done = assignment_create(application=at_panel[0], reviewer=panel[0], by=admin, due=date(2027, 3, 1))
        todo = assignment_create(application=at_panel[1], reviewer=panel[0], by=admin, due=date(2027, 3, 1))
        for assignment in (done, todo):
            assignment_declare(assignment=assignment, has_conflict=False)
        need, benefit = at_panel[0].call.criteria.all()
        review_save(assignment=done, recommendation="fund", comment="A clear need.", submit=True, scores={
            str(need.pk): {"score": 6, "comment": ""}, str(benefit.pk): {"score": 5, "comment": ""}})
        done.review.submitted_at = timezone.make_aware(timezone.datetime(2027, 2, 14, 10, 30))
        done.review.save()
    return done, todo


@pytest.mark.parametrize(("language", "due", "reviewed_on"), [
    ("en", "due 1 March 2027", "14 February 2027 10:30"),
    ("sv", "1 mars 2027", "14 februari 2027 10:30"),
    ("nb", "1. mars 2027", "14. februar 2027 10:30"),
])
def test_the_reviewers_pages_write_each_date_the_way_their_language_does(client, funder, panel, reviewed, language,
                                                                          due, reviewed_on):
    done, _todo = reviewed
    client.force_login(panel[0])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    dashboard = page(client, reverse("review:dashboard", args=[funder.slug]))
    assert due in dashboard and "14 Feb 2027" not in dashboard and reviewed_on.rsplit(" ", 1)[0] in dashboard
    assert reviewed_on in page(client, reverse("review:review", args=[funder.slug, done.pk]))


def test_confirmations_on_the_assessment_pages_need_no_inline_handler(client, funder, at_panel, panel, reviewed, admin):
    _done, todo = reviewed
    call = at_panel[0].call
    with scope(funder=funder):
        decision_record(application=at_panel[2], by=admin, outcome="declined", reason="Outside the call's scope.")
    client.force_login(panel[0])
    review_page = page(client, reverse("review:review", args=[funder.slug, todo.pk]))
    assert 'name="submit" data-confirm="Submit the review? It cannot be changed afterwards."' in review_page
    client.force_login(admin)
    ranking = page(client, reverse("review:ranking", args=[funder.slug, call.slug]))
    assert 'data-confirm="Release every recorded decision to the applicants?' in ranking
    screener = staff(funder, Role.SCREENER)
    client.force_login(screener)
    with scopes_disabled():
        ApplicationFactory(call=call, state=State.SUBMITTED, case_number="RS-IF-2026-0009", submitted_at=timezone.now())
    queue = page(client, reverse("review:queue", args=[funder.slug]))
    assert 'data-confirm="Pass the selected applications to the next stage?"' in queue
    for html in (review_page, ranking, queue):
        assert "onclick=" not in html and "onsubmit=" not in html


# --- Journey findings 6 and 10 (item 31): the decision page ---------------------------------------------------------

def test_the_decision_page_explains_the_account_in_the_readers_language_and_its_history_in_words(client, funder,
                                                                                                  at_panel, admin):
    application = at_panel[0]
    url = reverse("review:decision", args=[funder.slug, application.call.slug, application.pk])
    client.force_login(admin)
    client.post(url, {"decision-outcome": "granted", "decision-amount": "400000"})
    decision = page(client, url)
    assert "E.g. the state appropriation or the account the grant is paid from." in decision
    assert "statligt anslag" not in decision
    history = decision.split("History", 1)[1]
    assert ": Granted SEK\xa0400,000" in history and ": granted" not in history


def test_recording_the_consensus_stays_on_the_decision_page_where_the_decision_is_taken(client, funder, at_panel, admin):
    application = at_panel[0]
    url = reverse("review:decision", args=[funder.slug, application.call.slug, application.pk])
    client.force_login(admin)
    response = client.post(url, {"consensus-score": "6", "consensus-comment": "Best value", "consensus": "1"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "The panel&#x27;s consensus is recorded. Record the decision below." in response.content.decode()


# --- Journey finding 14: the steering group's release ends on a page it may open ------------------------------------

def test_the_steering_groups_release_returns_it_to_the_ranking_not_to_the_outbox_it_may_not_open(client, funder, at_panel):
    steering = staff(funder, Role.STEERING_MEMBER)
    call = at_panel[0].call
    with scope(funder=funder):
        decision_record(application=at_panel[0], by=steering, outcome="declined", reason="Not anchored.")
    client.force_login(steering)
    response = client.post(reverse("review:release", args=[funder.slug, call.slug]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("review:ranking", args=[funder.slug, call.slug])
    assert "1 decision is released. Its letter is being written; the administrators check and send it." in \
        response.content.decode()


def test_an_administrators_release_leads_to_the_letters_in_the_outbox(client, funder, at_panel, admin):
    call = at_panel[0].call
    with scope(funder=funder):
        decision_record(application=at_panel[0], by=admin, outcome="declined", reason="Not anchored.")
    client.force_login(admin)
    response = client.post(reverse("review:release", args=[funder.slug, call.slug]))
    assert response["Location"] == reverse("outbox", args=[funder.slug]) + f"?batch=decisions:{call.pk}"


# --- Item 7: a draft is the applicant's; the administrator finds the late ones only to give a later deadline --------

def test_the_progress_page_leads_the_administrator_to_give_a_late_draft_a_later_deadline(client, funder, admin):
    call = CallFactory(fund__funder=funder, slug="innovationsfonden-2026")
    now = timezone.now()
    with scopes_disabled():
        closed = Period.objects.create(funder=funder, call=call, opens_at=now - timedelta(days=30),
                                       closes_at=now - timedelta(hours=2))
        still_open = Period.objects.create(funder=funder, call=call, opens_at=now - timedelta(days=3),
                                           closes_at=now + timedelta(days=3))
    late = ApplicationFactory(call=call, period=closed, title="Sent too late")
    ApplicationFactory(call=call, period=closed, title="Already given more time", extension_until=now + timedelta(days=2))
    ApplicationFactory(call=call, period=still_open, title="Still being written")
    client.force_login(admin)
    progress = page(client, reverse("review:progress", args=[funder.slug, call.slug]))
    assert "Drafts past the deadline" in progress and "Sent too late" in progress
    assert "Already given more time" not in progress and "Still being written" not in progress
    extension = reverse("applications:extension", args=[funder.slug, late.pk])
    assert f'href="{extension}"' in progress and client.get(extension).status_code == 200
    assert client.get(reverse("applications:detail", args=[funder.slug, late.pk])).status_code == 404
