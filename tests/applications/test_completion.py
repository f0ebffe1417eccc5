"""A returned application is completed by its applicant before the due date, and the versions can be compared."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applications.drafting import application_save_answers
from applications.lifecycle import State
from applications.services import application_transition
from applications.submission import application_return_for_completion, application_submit
from fundportal.models import Role
from fundportal.tenancy import scope
from tests.factories import ApplicationFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(funder, open_call, applicant, django_capture_on_commit_callbacks):
    application = ApplicationFactory(call=open_call, applicant=applicant)
    with scope(funder=funder), django_capture_on_commit_callbacks(execute=True):
        application.period = open_call.periods.get()
        application.save()
        purpose = open_call.sections.get(position=0).questions.get(position=0)
        declaration = open_call.sections.get(position=0).questions.get(position=1)
        budget = open_call.sections.get(position=1).questions.get(position=0)
        application = application_save_answers(application=application, version=application.version, by=applicant, answers={
            f"q{purpose.pk}": "Less waste", f"q{declaration.pk}": True, f"q{budget.pk}": [{"year1": "1000"}, {}]})
        application = application_submit(application=application, by=applicant)
        screener = staff(funder, Role.SCREENER)
        application_transition(application=application, action="start_review", by=screener)
        application = application_return_for_completion(
            application=application, by=screener, comment="Describe the purpose in more detail.",
            due=timezone.now() + timedelta(days=7))
    return application, purpose


def test_the_applicant_is_emailed_edits_and_sends_in_the_completed_application(client, funder, applicant, returned, mailoutbox):
    application, purpose = returned
    assert any("Describe the purpose in more detail." in mail.body for mail in mailoutbox)
    client.force_login(applicant)
    page = client.get(reverse("applications:detail", args=[funder.slug, application.pk])).content.decode()
    assert "Returned to you for completion" in page and "Describe the purpose in more detail." in page
    with scope(funder=funder):
        application_save_answers(application=application, version=application.version, by=applicant,
                                 answers={f"q{purpose.pk}": "Less textile waste everywhere"})
        application_submit(application=application, by=applicant)
        application.refresh_from_db()
        assert application.state == State.IN_REVIEW and application.current_stage.kind == "screening"
        assert application.revisions.count() == 2

    client.force_login(staff(funder, Role.ADMINISTRATOR))
    diff = client.get(reverse("applications:revisions", args=[funder.slug, application.pk])).content.decode()
    assert "− Less waste" in diff and "+ Less textile waste everywhere" in diff


def test_after_the_due_date_the_returned_application_is_locked(funder, applicant, returned):
    application, purpose = returned
    with scope(funder=funder):
        application.completion_due = timezone.now() - timedelta(minutes=1)
        application.save()
        with pytest.raises(ValidationError, match="time to complete the application has passed"):
            application_save_answers(application=application, version=application.version, by=applicant,
                                     answers={f"q{purpose.pk}": "Too late"})


def test_a_return_needs_a_reason_and_a_future_date(funder, open_call, applicant):
    application = ApplicationFactory(call=open_call, applicant=applicant, state=State.IN_REVIEW)
    with scope(funder=funder), pytest.raises(ValidationError, match="Say what the applicant must complete"):
        application_return_for_completion(application=application, by=staff(funder, Role.SCREENER), comment=" ",
                                          due=timezone.now() + timedelta(days=1))


def test_a_completion_asked_for_one_part_opens_only_that_part(client, funder, open_call, applicant, mailoutbox,
                                                                django_capture_on_commit_callbacks):
    with scope(funder=funder):
        period = open_call.periods.get()
        project, money = open_call.sections.order_by("position")
        purpose, budget = project.questions.get(position=0), money.questions.get(position=0)
    applicant.language = "en"
    applicant.save(update_fields=["language"])
    application = ApplicationFactory(call=open_call, applicant=applicant, state=State.SUBMITTED, period=period,
                                     case_number="RS-IF-2026-0009")
    client.force_login(staff(funder, Role.SCREENER))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("review:screening", args=[funder.slug, application.pk]), {
            "decide": "1", "outcome-outcome": "return", "outcome-reason": "Break the budget down by year.",
            "outcome-due": (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
            "outcome-sections": [money.pk]})
    application.refresh_from_db()
    assert application.state == State.RETURNED and application.completion_sections == [money.pk]
    assert any("Parts to complete: Money." in mail.body for mail in mailoutbox)

    client.force_login(applicant)
    section = reverse("applications:section", args=[funder.slug, application.pk, 1])
    page = client.get(section).content.decode()
    assert "This part can be read but not changed." in page and 'name="save"' not in page
    assert page.count("to complete</span>") == 1  # the progress list marks the part asked for
    refused = client.post(reverse("applications:autosave", args=[funder.slug, application.pk, 1]),
                          {"version": application.version, "answers-" + f"q{purpose.pk}": "Rewritten"})
    assert refused.status_code == 403 and refused.json()["message"] == (
        "Only the parts the funder asked you to complete can be changed.")
    saved = client.post(reverse("applications:autosave", args=[funder.slug, application.pk, 2]),
                        {"version": application.version, f"answers-q{budget.pk}-0-year1": "1000"})
    assert saved.status_code == 200
    with scope(funder=funder):
        application.refresh_from_db()
    assert f"q{purpose.pk}" not in application.answers and application.answers[f"q{budget.pk}"]
