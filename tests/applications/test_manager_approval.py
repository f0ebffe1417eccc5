"""The applicant's manager approves by an emailed link: someone else, once, while the application is being written."""

import re

import pytest
from django.urls import reverse

from applications.lifecycle import State
from applications.models import ApplicantProfile, Application
from fundportal.models import LocalMail, OutboxEmail
from fundportal.tenancy import scope
from tests.applications.test_applying import fill_everything, start, the_application, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client, funder, open_call, applicant, mailoutbox_to_db, django_capture_on_commit_callbacks):
    """A filled draft of a call that needs the manager's approval; the applicant is signed in."""
    open_call.requires_manager_approval = True
    open_call.save()
    ApplicantProfile.objects.create(user=applicant, organisation="Karolinska Universitetssjukhuset")
    client.force_login(applicant)
    start(client, funder, open_call)
    application = the_application(funder)
    fill_everything(client, funder, open_call, application)
    return application


def ask_manager(client, funder, application, email, name="Eva Berg", capture=None):
    with capture(execute=True):
        return client.post(url("people", funder, application.pk), {"manager_name": name, "manager_email": email},
                           follow=True)


def as_the_manager(client):
    """The manager has no account: a browser signed out, reading English."""
    client.logout()
    client.cookies["django_language"] = "en"


def manager_link(email):
    """The path of the approval link in the newest email the manager received."""
    mail = LocalMail.objects.filter(recipient=email).first()
    return re.search(r"https?://[^/\s]+(/\S+/approval/\S+/)", mail.body).group(1)


def test_the_applicant_and_a_co_applicant_cannot_approve_their_own_application(
        client, funder, draft, applicant, django_capture_on_commit_callbacks):
    from applications.models import Collaborator

    Collaborator.objects.create(funder=funder, application=draft, email="olle@karolinska.example",
                                access=Collaborator.Access.EDIT)
    for own in (applicant.email, "Olle@Karolinska.example"):
        page = ask_manager(client, funder, draft, own, capture=django_capture_on_commit_callbacks).content.decode()
        assert "The manager must be someone other than the applicant and the co-applicants." in page
    draft.refresh_from_db()
    assert (draft.manager_email, draft.manager_decision) == ("", Application.ManagerDecision.NOT_ASKED)
    with scope(funder=funder):
        assert not OutboxEmail.objects.filter(kind="manager_request").exists()


def test_the_manager_sees_what_is_applied_for_before_answering(client, funder, draft, django_capture_on_commit_callbacks):
    ask_manager(client, funder, draft, "eva.berg@example.se", capture=django_capture_on_commit_callbacks)
    link = manager_link("eva.berg@example.se")
    as_the_manager(client)
    page = client.get(link).content.decode()
    for shown in ("Textile waste in health care", "annika@karolinska.example", "Karolinska Universitetssjukhuset",
                  "Innovation Fund", "450,000", "Less textile waste"):
        assert shown in page


def test_a_link_records_one_answer_and_then_says_who_answered_what_and_when(
        client, funder, draft, django_capture_on_commit_callbacks):
    ask_manager(client, funder, draft, "eva.berg@example.se", capture=django_capture_on_commit_callbacks)
    link = manager_link("eva.berg@example.se")
    as_the_manager(client)
    client.post(link, {"decision": "approve", "comment": "Vi står bakom projektet."})

    replayed = client.post(link, {"decision": "decline", "comment": "Replayed"}).content.decode()
    draft.refresh_from_db()
    assert draft.manager_decision == Application.ManagerDecision.APPROVED
    assert draft.manager_comment == "Vi står bakom projektet."
    assert "Eva Berg (eva.berg@example.se) answered on" in replayed and "Approved by the manager" in replayed
    assert "Send my answer" not in client.get(link).content.decode()


def test_a_link_replayed_after_submission_changes_nothing(client, funder, draft, django_capture_on_commit_callbacks):
    ask_manager(client, funder, draft, "eva.berg@example.se", capture=django_capture_on_commit_callbacks)
    link = manager_link("eva.berg@example.se")
    client.post(link, {"decision": "approve", "comment": ""})
    client.post(url("submit", funder, draft.pk))
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED

    as_the_manager(client)
    client.post(link, {"decision": "decline", "comment": "Replayed anonymously"})
    draft.refresh_from_db()
    assert (draft.state, draft.manager_decision) == (State.SUBMITTED, Application.ManagerDecision.APPROVED)


def test_an_unanswered_link_cannot_answer_once_the_application_is_submitted(
        client, funder, open_call, draft, django_capture_on_commit_callbacks):
    open_call.requires_manager_approval = False
    open_call.save()
    ask_manager(client, funder, draft, "eva.berg@example.se", capture=django_capture_on_commit_callbacks)
    client.post(url("submit", funder, draft.pk))
    as_the_manager(client)
    link = manager_link("eva.berg@example.se")
    page = client.post(link, {"decision": "decline", "comment": ""}).content.decode()
    assert "The application is no longer being written" in page
    draft.refresh_from_db()
    assert (draft.state, draft.manager_decision) == (State.SUBMITTED, Application.ManagerDecision.PENDING)


def test_asking_again_sends_a_new_link_and_the_earlier_one_stops_working(
        client, funder, draft, django_capture_on_commit_callbacks):
    ask_manager(client, funder, draft, "eva.berg@example.se", capture=django_capture_on_commit_callbacks)
    first = manager_link("eva.berg@example.se")
    client.post(first, {"decision": "decline", "comment": "Budgeten saknas."})
    ask_manager(client, funder, draft, "eva.berg@example.se", capture=django_capture_on_commit_callbacks)
    assert LocalMail.objects.filter(recipient="eva.berg@example.se").count() == 2
    as_the_manager(client)
    assert client.get(first).status_code == 404
    assert "Send my answer" in client.get(manager_link("eva.berg@example.se")).content.decode()


def test_the_outbox_never_holds_the_managers_link(client, funder, draft, people, django_capture_on_commit_callbacks):
    ask_manager(client, funder, draft, "eva.berg@example.se", capture=django_capture_on_commit_callbacks)
    with scope(funder=funder):
        stored = OutboxEmail.objects.get(kind="manager_request")
    assert "/approval/" not in stored.body + stored.html
    client.force_login(people["administrator"])
    page = client.get(reverse("outbox_email", args=[funder.slug, stored.pk])).content.decode()
    assert "[the personal link is added when the email is sent]" in page and "/approval/" not in page
    assert "/approval/" in manager_link("eva.berg@example.se")
