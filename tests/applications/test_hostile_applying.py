"""An applicant's hostile or clumsy input is refused with a message, and nothing is stored on refusal."""

import threading
import time
from types import SimpleNamespace
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SqliteConnection
from django.test import Client

from applications.drafting import application_save_answers, application_start
from applications.lifecycle import State
from applications.models import Application, ApplicationTransition, Attachment, Collaborator, Revision
from applications.submission import application_submit, next_case_number
from fundportal.models import OutboxEmail
from fundportal.tenancy import scope
from tests.applications.test_applying import (
    fill_everything, questions, section_post, start, submitted_application, the_application, upload, url,
)
from tests.conftest import service_unavailable
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def a_draft(client, funder, call, applicant):
    client.force_login(applicant)
    start(client, funder, call)
    return the_application(funder)


def budget_post(application, call, funder, year1):
    budget = f"q{questions(funder, call)['Budget'].pk}"
    return {"version": application.version, f"answers-{budget}-0-year1": year1, f"answers-{budget}-1-year1": "1000"}


def stored(application):
    application.refresh_from_db()
    return application.version, application.answers, application.amount_requested


# --- Budget amounts (items 4 and 15) ---------------------------------------------------------------------------

@pytest.mark.parametrize(("cell", "message"), [
    ("123456789012345", "is too large for an amount"),
    ("1e30", "is too large for an amount"),
    ("99999999999999999999", "is too large for an amount"),
    ("sNaN", "is too large for an amount"),
    ("Infinity", "is too large for an amount"),
    ("-5", "An amount cannot be negative"),
    ("twelve", "is not an amount"),
])
def test_a_budget_cell_no_budget_can_hold_is_refused_and_the_application_still_reads(
        client, funder, open_call, applicant, cell, message):
    application = a_draft(client, funder, open_call, applicant)
    before = stored(application)

    refused = client.post(url("section", funder, application.pk, 2), budget_post(application, open_call, funder, cell))
    assert refused.status_code == 400 and message in refused.content.decode()
    autosaved = client.post(url("autosave", funder, application.pk, 2), budget_post(application, open_call, funder, cell))
    assert autosaved.status_code == 400 and message in autosaved.json()["message"]
    assert stored(application) == before

    assert client.get(url("detail", funder, application.pk)).status_code == 200
    assert client.get("/my/applications/").status_code == 200
    sane = client.post(url("section", funder, application.pk, 2), budget_post(application, open_call, funder, "5000"))
    assert sane.status_code == 302 and stored(application)[2] == 6000


def test_a_budget_that_adds_up_past_what_can_be_stored_is_refused(client, funder, open_call, applicant):
    application = a_draft(client, funder, open_call, applicant)
    budget = f"q{questions(funder, open_call)['Budget'].pk}"
    cells = {f"answers-{budget}-{row}-year{year}": "99999999999999" for row in (0, 1) for year in (1, 2)}
    refused = client.post(url("section", funder, application.pk, 2), {"version": application.version, **cells})
    assert refused.status_code == 400 and "The budget adds up to more than" in refused.content.decode()
    assert stored(application)[0] == 1


def test_a_negative_amount_kept_from_before_stops_the_submission(client, funder, open_call, applicant):
    application = a_draft(client, funder, open_call, applicant)
    fill_everything(client, funder, open_call, application)
    budget = f"q{questions(funder, open_call)['Budget'].pk}"
    with scope(funder=funder):
        Application.objects.filter(pk=application.pk).update(
            answers={**the_application(funder).answers, budget: [{"year1": "-450000"}, {"year1": "900000"}]})
    summary = client.get(url("submit", funder, application.pk)).content.decode()
    assert "An amount cannot be negative" in summary
    client.post(url("submit", funder, application.pk))
    assert the_application(funder).state == State.DRAFT


def test_an_amount_stored_before_the_checks_no_longer_breaks_the_application(client, funder, open_call, applicant):
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite could store an amount its column cannot hold")
    application = a_draft(client, funder, open_call, applicant)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE applications_application SET amount_requested = 1e30 WHERE id = %s", [application.pk])
    migration = import_module("applications.migrations.0005_clear_unstorable_amounts")
    migration.clear_unstorable_amounts(django_apps, SimpleNamespace(connection=connection))
    assert client.get(url("detail", funder, application.pk)).status_code == 200
    assert client.get("/my/applications/").status_code == 200
    assert stored(application)[2] is None


# --- NUL and control characters (item 10) ----------------------------------------------------------------------

def test_nul_and_control_characters_are_taken_out_of_answers_and_the_title(client, funder, open_call, applicant):
    application = a_draft(client, funder, open_call, applicant)
    purpose = f"q{questions(funder, open_call)['Purpose'].pk}"
    response = client.post(url("section", funder, application.pk, 1), {
        **section_post(application, {purpose: "Less\x00 textile\x07 waste"}), "title": "Textile\x00 waste",
        f"confidential-{purpose}": "Trade\x00 secret"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.answers[purpose] == "Less textile waste" and application.title == "Textile waste"
    assert application.confidential[purpose] == "Trade secret"


def test_a_nul_in_an_invitation_or_a_file_note_is_refused_with_a_message(client, funder, open_call, applicant):
    application = a_draft(client, funder, open_call, applicant)
    invited = client.post(url("people", funder, application.pk), {"email": "erik@ki\x00.example", "access": "edit"})
    assert invited.status_code == 200 and "Enter a valid email address." in invited.content.decode()
    noted = upload(client, funder, application, questions(funder, open_call)["Quote"], "quote.pdf", b"%PDF-1.7\nq",
                   reason="Prices\x00")
    assert "Null characters are not allowed." in noted.content.decode()
    with scope(funder=funder):
        assert not Collaborator.objects.exists() and not Attachment.objects.exists()


# --- Malformed versions and years (item 12) --------------------------------------------------------------------

@pytest.mark.parametrize("version", ["abc", "1.5", "", "99999999999999999999", "²"])
def test_a_malformed_version_is_answered_with_a_message_and_nothing_is_stored(client, funder, open_call, applicant,
                                                                              version):
    application = a_draft(client, funder, open_call, applicant)
    purpose = f"q{questions(funder, open_call)['Purpose'].pk}"
    data = {"version": version, f"answers-{purpose}": "Less waste", "title": "Textile waste"}
    page = client.post(url("section", funder, application.pk, 1), data)
    assert page.status_code == 400 and "This page was sent incomplete" in page.content.decode()
    assert "Less waste" in page.content.decode()  # what was typed is shown again
    autosaved = client.post(url("autosave", funder, application.pk, 1), data)
    assert autosaved.status_code == 400 and autosaved.json()["status"] == "invalid"
    assert stored(application)[:2] == (1, {})


@pytest.mark.parametrize("year", ["0", "10000", "99999999999999999999", "abc", "２０２６"])
def test_an_impossible_report_year_is_answered_with_a_message(client, funder, people, year):
    client.force_login(people["administrator"])
    response = client.get(url("report", funder), {"year": year}, follow=True)
    assert response.status_code == 200 and "Choose a year from 1900 to 9999." in response.content.decode()
    assert client.get(url("report", funder), {"call": "abc"}).status_code == 200  # a malformed call is ignored
    assert client.get(url("report", funder), {"call": "nul\x00"}).status_code == 400  # no page reads a NUL


# --- Redirects (item 14) ---------------------------------------------------------------------------------------

def test_removing_a_file_never_redirects_off_the_site(client, funder, open_call, applicant):
    application = a_draft(client, funder, open_call, applicant)
    upload(client, funder, application, questions(funder, open_call)["Quote"], "quote.pdf", b"%PDF-1.7\nquote")
    with scope(funder=funder):
        attachment = Attachment.objects.get()
    response = client.post(url("attachment_remove", funder, application.pk, attachment.pk),
                           {"next": "https://evil.example/"})
    assert response["Location"] == url("detail", funder, application.pk)


# --- Files per question (item 15) ------------------------------------------------------------------------------

def test_a_question_takes_at_most_its_number_of_files(client, funder, open_call, applicant):
    application = a_draft(client, funder, open_call, applicant)
    quote = questions(funder, open_call)["Quote"]
    with scope(funder=funder):
        quote.settings = {**quote.settings, "max_files": 2}
        quote.save()
    for number in (1, 2):
        upload(client, funder, application, quote, f"quote{number}.pdf", b"%PDF-1.7\nquote")
    refused = upload(client, funder, application, quote, "quote3.pdf", b"%PDF-1.7\nquote")
    assert "At most 2 files can be added here; remove one first." in refused.content.decode()
    with scope(funder=funder):
        assert Attachment.objects.count() == 2


def test_without_a_setting_a_question_takes_ten_files(client, funder, open_call, applicant):
    application = a_draft(client, funder, open_call, applicant)
    quote = questions(funder, open_call)["Quote"]
    for number in range(11):
        upload(client, funder, application, quote, f"quote{number}.pdf", b"%PDF-1.7\nquote")
    with scope(funder=funder):
        assert Attachment.objects.count() == 10


# --- Co-applicants (item 11) -----------------------------------------------------------------------------------

@pytest.fixture
def with_co_applicant(client, funder, open_call, applicant, mailoutbox):
    application = a_draft(client, funder, open_call, applicant)
    client.post(url("people", funder, application.pk), {"email": "erik@ki.example", "access": "edit"})
    with scope(funder=funder):
        collaborator = Collaborator.objects.get()
    return application, collaborator, UserFactory(email="erik@ki.example")


def test_an_editing_co_applicant_can_neither_invite_nor_change_access(client, funder, with_co_applicant):
    application, collaborator, erik = with_co_applicant
    client.force_login(erik)
    page = client.get(url("people", funder, application.pk)).content.decode()
    assert "Only the main applicant invites and removes co-applicants." in page and "Send the invitation" not in page
    assert client.post(url("people", funder, application.pk), {"email": "stranger@evil.example", "access": "edit"}).status_code == 403
    assert client.post(url("people", funder, application.pk), {"email": "erik@ki.example", "access": "view"}).status_code == 403
    assert client.post(url("collaborator_remove", funder, application.pk, collaborator.pk)).status_code == 403
    with scope(funder=funder):
        assert list(Collaborator.objects.values_list("email", "access")) == [("erik@ki.example", "edit")]


def test_the_main_applicant_removes_a_co_applicant_after_confirming(client, funder, applicant, with_co_applicant):
    application, collaborator, erik = with_co_applicant
    remove = url("collaborator_remove", funder, application.pk, collaborator.pk)
    assert remove in client.get(url("people", funder, application.pk)).content.decode()
    confirm = client.get(remove).content.decode()
    assert "erik@ki.example will no longer be able to read or change the application." in confirm
    with scope(funder=funder):
        assert Collaborator.objects.exists()  # opening the confirmation removes nobody
    done = client.post(remove, follow=True)
    assert "erik@ki.example is no longer a co-applicant." in done.content.decode()
    client.force_login(erik)
    assert client.get(url("detail", funder, application.pk)).status_code == 404


def test_a_co_applicant_of_another_application_cannot_be_removed_through_this_one(client, funder, open_call,
                                                                                    applicant, with_co_applicant):
    application, collaborator, _erik = with_co_applicant
    someone = UserFactory()
    with scope(funder=funder):
        other = application_start(call=open_call, applicant=someone, application_type="new")
    client.force_login(someone)
    assert client.post(url("collaborator_remove", funder, other.pk, collaborator.pk)).status_code == 404


def test_invitations_are_limited_per_hour(client, funder, open_call, applicant, mailoutbox):
    application = a_draft(client, funder, open_call, applicant)
    for number in range(10):
        client.post(url("people", funder, application.pk), {"email": f"colleague{number}@ki.example", "access": "view"})
    refused = client.post(url("people", funder, application.pk), {"email": "one.more@ki.example", "access": "view"})
    assert "You have sent many invitations within the hour; try again later." in refused.content.decode()
    with scope(funder=funder):
        assert Collaborator.objects.count() == 10


# --- Transitions and the version (item 3) ----------------------------------------------------------------------

def test_a_save_from_a_page_loaded_before_the_submission_is_refused(client, funder, open_call, applicant):
    application = a_draft(client, funder, open_call, applicant)
    fill_everything(client, funder, open_call, application)
    loaded_before = the_application(funder)
    client.post(url("submit", funder, application.pk))
    purpose = f"q{questions(funder, open_call)['Purpose'].pk}"
    with scope(funder=funder), pytest.raises(ValidationError, match="A submitted application cannot be changed."):
        application_save_answers(application=loaded_before, answers={purpose: "Typed after submission"},
                                 version=loaded_before.version, by=applicant)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and application.answers[purpose] == "Less textile waste"


def test_every_move_of_an_application_bumps_its_version(client, funder, open_call, applicant):
    application = a_draft(client, funder, open_call, applicant)
    fill_everything(client, funder, open_call, application)
    application.refresh_from_db()
    before = application.version
    with scope(funder=funder):
        application = application_submit(application=application, by=applicant)
    application.refresh_from_db()
    assert application.version == before + 1


def in_a_thread(target):
    """Run ``target`` in a thread with its own database connection; returns the thread and a list for its outcome."""
    outcome = []

    def run():
        try:
            outcome.append(target())
        except Exception as error:  # noqa: BLE001 - the test inspects what the thread met
            outcome.append(error)
        finally:
            connection.close()

    return threading.Thread(target=run), outcome


def wait_for_a_lock_wait(seconds=10):
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                           "AND datname = current_database()")
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_an_autosave_in_flight_during_the_submission_changes_nothing_submitted(client, funder, open_call, applicant,
                                                                              monkeypatch):
    if connection.vendor != "postgresql":
        service_unavailable("the race needs PostgreSQL's row locks")
    application = a_draft(client, funder, open_call, applicant)
    fill_everything(client, funder, open_call, application)
    application.refresh_from_db()
    purpose = f"q{questions(funder, open_call)['Purpose'].pk}"
    moved, go_on = threading.Event(), threading.Event()

    def number_held_open(*args):  # the submission has made its move and holds the row until it commits
        moved.set()
        go_on.wait(10)
        return next_case_number(*args)

    monkeypatch.setattr("applications.submission.next_case_number", number_held_open)

    def submit():
        with scope(funder=funder):
            return application_submit(application=application, by=applicant)

    def autosave_loaded_before():
        moved.wait(10)
        with scope(funder=funder):
            return application_save_answers(application=application, answers={purpose: "Typed after submission"},
                                            version=application.version, by=applicant)

    submitting, submitted = in_a_thread(submit)
    autosaving, autosaved = in_a_thread(autosave_loaded_before)
    submitting.start()
    autosaving.start()
    assert moved.wait(10)
    assert wait_for_a_lock_wait(), "the autosave never waited for the submission's lock"
    go_on.set()
    submitting.join(20)
    autosaving.join(20)

    assert isinstance(submitted[0], Application)
    assert isinstance(autosaved[0], ValidationError)
    application.refresh_from_db()
    with scope(funder=funder):
        revision = Revision.objects.get(application=application)
    assert application.state == State.SUBMITTED
    assert application.answers[purpose] == revision.answers[purpose] == "Less textile waste"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_double_submission_gives_one_case_number_one_revision_and_one_receipt(client, funder, open_call, applicant):
    if connection.vendor != "postgresql":
        service_unavailable("the race needs PostgreSQL's row locks")
    application = a_draft(client, funder, open_call, applicant)
    fill_everything(client, funder, open_call, application)
    together = threading.Barrier(2)

    def press_submit():
        browser = Client()
        browser.force_login(applicant)
        together.wait(10)
        return browser.post(url("submit", funder, application.pk)).status_code

    threads = [in_a_thread(press_submit) for _ in range(2)]
    for thread, _outcome in threads:
        thread.start()
    for thread, _outcome in threads:
        thread.join(30)

    assert [outcome[0] for _thread, outcome in threads] == [302, 302]
    application.refresh_from_db()
    with scope(funder=funder):
        assert application.state == State.SUBMITTED and application.case_number.endswith("-0001")
        assert Revision.objects.filter(application=application).count() == 1
        assert ApplicationTransition.objects.filter(application=application, action="submit").count() == 1
        assert OutboxEmail.objects.filter(kind="receipt").count() == 1


# --- SQLite queues simultaneous writes (item 13) ---------------------------------------------------------------

def test_the_embedded_sqlite_default_queues_writes():
    assert settings.SQLITE_OPTIONS == {"transaction_mode": "IMMEDIATE", "timeout": 20}
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        assert settings.DATABASES["default"]["OPTIONS"].items() >= settings.SQLITE_OPTIONS.items()


def test_two_writers_on_a_sqlite_file_both_succeed_one_after_the_other(tmp_path):
    """Each writer reads, thinks, then writes, as a save does; with deferred transactions one would fail at once
    with "database is locked"."""
    import sqlite3

    name = str(tmp_path / "queue.sqlite3")
    with sqlite3.connect(name) as setup:
        setup.execute("CREATE TABLE saves (who TEXT)")
    database = {**settings.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3", "NAME": name,
                "OPTIONS": dict(settings.SQLITE_OPTIONS), "CONN_MAX_AGE": 0}

    def save(who):
        sqlite = SqliteConnection(database, alias=who)
        try:
            sqlite.ensure_connection()
            sqlite._start_transaction_under_autocommit()  # what transaction.atomic does on SQLite
            with sqlite.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM saves")
                time.sleep(0.3)
                cursor.execute("INSERT INTO saves (who) VALUES (%s)", [who])
            sqlite.connection.commit()
            return who
        except Exception as error:  # noqa: BLE001 - the test compares what each writer met
            return repr(error)
        finally:
            sqlite.close()

    outcomes = {}
    writers = [threading.Thread(target=lambda who=who: outcomes.update({who: save(who)})) for who in ("first", "second")]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join(30)
    assert outcomes == {"first": "first", "second": "second"}
    with sqlite3.connect(name) as check:
        assert check.execute("SELECT count(*) FROM saves").fetchone()[0] == 2
