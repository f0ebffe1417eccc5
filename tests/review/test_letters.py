"""Decision letters: the funder's wording, the PDF on its letterhead, drafts in the outbox, the applicant's copy."""

import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse

from applications.models import Application
from fundportal.models import Funder, LocalMail, OutboxEmail, Role
from fundportal.tenancy import scope
from review.letters import letter
from review.models import Decision, LetterTemplate
from tests.factories import staff

pytestmark = pytest.mark.django_db


def pdf_text(pdf, tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_norrbotten_letter_shows_the_ten_financiers_and_the_total_budget(tmp_path):
    call_command("seed_demo", verbosity=0)
    funder = Funder.objects.get(slug="region-norrbotten")
    with scope(funder=funder):
        decision = Decision.objects.get()
        _subject, _body, pdf = letter(decision, "sv")
    text = pdf_text(pdf, tmp_path).replace("\xa0", " ")
    assert "RN-RU-2026-0001" in text or decision.application.case_number in text
    assert "20 718 995 kr" in text and "1 245 497 kr" in text and "Tillväxtverket" in text
    assert sum(1 for name in ("Region Norrbotten 1:1-medel", "Tillväxtverket", "Region Västerbotten 1:1-medel",
                              "Umeå universitet", "Region Västerbotten (egna medel)", "Umeå universitet holding",
                              "Luleå tekniska universitet", "Skellefteå kommun", "Umeå kommun",
                              "Region Norrbotten (egna medel)") if name in text) == 10
    assert "Regional utvecklingsdirektör" in text  # the distribution list
    assert "Projektperiod" in text and "1 september 2023 – 31 oktober 2026" in text
    assert "Sida 1 / 1" in text or "1 / 1" in text


def test_a_bad_placeholder_is_refused_with_a_clear_message(client, funder):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    url = reverse("review:letter", args=[funder.slug, "granted", "en"])
    page = client.post(url, {"subject": "Decision {case_number}", "body": "Dear {applicant_name}, {amount}"}).content.decode()
    assert "Unknown placeholder: {applicant_name}." in page
    page = client.post(url, {"subject": "Decision {case_number", "body": "x"}).content.decode()
    assert "unmatched" in page
    with scope(funder=funder):
        assert not LetterTemplate.objects.exists()


def test_the_funders_wording_is_used_and_previewed(client, funder, at_panel):
    from review.decisions import decision_record

    admin = staff(funder, Role.ADMINISTRATOR)
    client.force_login(admin)
    url = reverse("review:letter", args=[funder.slug, "granted", "en"])
    response = client.post(url, {"subject": "Your grant {case_number}", "body": "We grant {project} {amount}."}, follow=True)
    assert "We grant Stöd och organisation för innovation" in response.content.decode()  # the preview's sample values
    with scope(funder=funder):
        decision = decision_record(application=at_panel[0], by=admin, outcome="granted", amount=400000)
        subject, body, _pdf = letter(decision, "en")
    assert subject == "Your grant RS-IF-2026-0001" and body == "We grant Textilsvinn SEK\xa0400,000."


@pytest.mark.django_db(transaction=True)
def test_releasing_puts_drafts_in_the_outbox_and_sending_twice_sends_once(client, funder, at_panel, mailoutbox_to_db):
    from review.decisions import decision_record

    admin = staff(funder, Role.ADMINISTRATOR)
    with scope(funder=funder):
        decision_record(application=at_panel[0], by=admin, outcome="granted", amount=400000, account="Innovationsfonden")
        decision_record(application=at_panel[1], by=admin, outcome="declined", reason="The need is not shown.")
    client.force_login(at_panel[0].applicant)
    assert client.get(reverse("applications:decision_letter", args=[funder.slug, at_panel[0].pk])).status_code == 404

    client.force_login(admin)
    client.post(reverse("review:release", args=[funder.slug, at_panel[0].call.slug]))
    with scope(funder=funder):
        drafts = list(OutboxEmail.objects.filter(kind="decision"))
    assert [email.status for email in drafts] == ["draft", "draft"] and not LocalMail.objects.exists()

    outbox = reverse("outbox", args=[funder.slug])
    client.post(outbox + f"?batch=decisions:{at_panel[0].call_id}")
    client.post(outbox + f"?batch=decisions:{at_panel[0].call_id}")
    assert LocalMail.objects.filter(attachments__0__filename__endswith="-decision.pdf").count() == 2
    with scope(funder=funder):
        assert set(OutboxEmail.objects.filter(kind="decision").values_list("status", flat=True)) == {"sent"}

    client.force_login(at_panel[0].applicant)
    response = client.get(reverse("applications:decision_letter", args=[funder.slug, at_panel[0].pk]))
    assert response["Content-Type"] == "application/pdf"


def test_a_draft_can_be_edited_but_a_sent_email_cannot(client, funder):
    from fundportal.outbox import email_queue

    with scope(funder=funder):
        draft = email_queue(funder=funder, recipient="a@example.se", subject="Beslut", body="Text", kind="decision",
                            occasion="decision:1", draft=True)
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    url = reverse("outbox_email", args=[funder.slug, draft.pk])
    client.post(url, {"subject": "Beslut om din ansökan", "body": "Ny text"})
    with scope(funder=funder):
        draft.refresh_from_db()
        assert draft.subject == "Beslut om din ansökan"
        draft.status = OutboxEmail.Status.SENT
        draft.save()
    page = client.get(url).content.decode()
    assert "Ny text" in page and "Save the draft" not in page


@pytest.mark.parametrize(("role", "status"), [(Role.ADMINISTRATOR, 200), (Role.SCREENER, 403), (Role.PANEL_MEMBER, 403)])
def test_only_administrators_open_the_outbox_and_the_letters(client, funder, role, status):
    client.force_login(staff(funder, role))
    for url in (reverse("outbox", args=[funder.slug]), reverse("review:letters", args=[funder.slug]),
                reverse("review:letter", args=[funder.slug, "declined", "sv"])):
        assert client.get(url).status_code == status


def test_the_outbox_keeps_its_query_count(client, funder, django_assert_max_num_queries):
    from fundportal.outbox import email_queue

    client.force_login(staff(funder, Role.ADMINISTRATOR))
    with scope(funder=funder):
        email_queue(funder=funder, recipient="a@example.se", subject="s", body="b", kind="k", occasion="o0", draft=True)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("outbox", args=[funder.slug]))
    with scope(funder=funder):
        for number in range(1, 30):
            email_queue(funder=funder, recipient="a@example.se", subject="s", body="b", kind="k", occasion=f"o{number}",
                        draft=True, batch="decisions:1")
    with django_assert_max_num_queries(12) as many:
        client.get(reverse("outbox", args=[funder.slug]))
    assert len(many) == len(one)


def decided_call(funder, admin, count):
    """A call at its decision stage with ``count`` granted, unreleased decisions to applicants sokande0… ."""
    from applications.lifecycle import State
    from calls.models import Stage
    from tests.factories import ApplicationFactory, CallFactory, UserFactory

    call = CallFactory(fund__funder=funder, budget=10**9)
    with scope(funder=funder):
        stage = Stage.objects.create(funder=funder, call=call, position=0, kind=Stage.Kind.DECISION, name="Beslut")
    applications = [ApplicationFactory(call=call, applicant=UserFactory(email=f"sokande{n}@example.se"),
                                       state=State.IN_REVIEW, current_stage=stage, case_number=f"RS-IF-2026-{n:04d}",
                                       amount_requested=250000 + n)
                    for n in range(count)]
    with scope(funder=funder):
        Decision.objects.bulk_create(Decision(funder=funder, application=a, outcome="granted", amount=a.amount_requested,
                                              decided_by=admin, reason="Väl motiverat.") for a in applications)
    return call


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_releasing_50_decisions_sends_50_letters_once_on_the_real_worker(celery_worker_process, funder, tmp_path):
    from fundportal.outbox import outbox_send
    from review.decisions import decisions_release
    from tests.conftest import wait_for

    admin = staff(funder, Role.ADMINISTRATOR)
    call = decided_call(funder, admin, 50)
    with scope(funder=funder):
        decisions_release(call=call, by=admin)  # the worker writes the 50 letters into drafts
        assert wait_for(lambda: OutboxEmail.objects.filter(kind="decision", status="draft").count() == 50, seconds=90)
        outbox_send(emails=list(OutboxEmail.objects.filter(kind="decision")))
        assert wait_for(lambda: OutboxEmail.objects.filter(kind="decision", status="sent").count() == 50, seconds=90)
        outbox_send(emails=list(OutboxEmail.objects.filter(kind="decision")))  # a second run finds nothing to send
        sample = OutboxEmail.objects.get(recipient="sokande7@example.se")
    assert LocalMail.objects.filter(recipient__startswith="sokande").count() == 50
    text = pdf_text(sample.attachment.open("rb").read(), tmp_path).replace("\xa0", " ")
    assert "RS-IF-2026-0007" in text and "250 007 kr" in text


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_writing_letters_loses_none(celery_worker_process, funder):
    """SIGKILL the real worker while it writes 40 letters; a new worker and the sweep write the rest, once each."""
    import os
    import signal
    from datetime import timedelta

    from review.decisions import decisions_release
    from review.tasks import decision_letters_requeue
    from tests.conftest import wait_for

    admin = staff(funder, Role.ADMINISTRATOR)
    call = decided_call(funder, admin, 40)
    with scope(funder=funder):
        decisions_release(call=call, by=admin)
        assert wait_for(lambda: OutboxEmail.objects.filter(status="draft").count() >= 3)
    os.kill(celery_worker_process.process.pid, signal.SIGKILL)
    celery_worker_process.process.wait(timeout=10)
    with scope(funder=funder):
        assert OutboxEmail.objects.filter(status="preparing").exists(), "every letter was written before the kill"

    celery_worker_process.start()
    with scope(funder=funder):
        decision_letters_requeue(older_than=timedelta(0))  # the sweep hands the letters the dead worker held again
        assert wait_for(lambda: OutboxEmail.objects.filter(status="draft").count() == 40, seconds=90)
        emails = list(OutboxEmail.objects.filter(kind="decision"))
    assert len(emails) == 40 and all(email.attachment and email.body for email in emails)
    assert sorted(email.recipient for email in emails) == sorted(f"sokande{n}@example.se" for n in range(40))


def test_an_application_screened_out_gets_its_letter_with_the_screenings_reason_at_release(
        client, funder, submitted, tmp_path, django_capture_on_commit_callbacks):
    from review.services import screening_decide

    admin = staff(funder, Role.ADMINISTRATOR)
    with scope(funder=funder):
        screening_decide(application=submitted[0], by=staff(funder, Role.SCREENER), outcome="screen_out",
                         reason="The applicant is not employed by Region Stockholm.")
        assert not OutboxEmail.objects.filter(kind="decision").exists()  # nothing is told before the release
    client.force_login(admin)
    ranking = client.get(reverse("review:ranking", args=[funder.slug, submitted[0].call.slug])).content.decode()
    assert "1 decision is recorded and not yet released (1 of them taken at pre-screening)." in ranking
    with django_capture_on_commit_callbacks(execute=True):  # the worker writes the letter after the release commits
        client.post(reverse("review:release", args=[funder.slug, submitted[0].call.slug]))
    with scope(funder=funder):
        email = OutboxEmail.objects.get(kind="decision")
        application = Application.objects.get(pk=submitted[0].pk)
        assert application.state == "declined" and application.transitions.count() == 2  # start review, screen out
        text = pdf_text(email.attachment.read(), tmp_path)
    assert email.recipient == submitted[0].applicant.email and email.status == OutboxEmail.Status.DRAFT
    assert "The applicant is not employed by Region Stockholm." in text and "RS-IF-2026-0001" in text


def test_the_funder_may_justify_with_the_panels_assessment(client, funder, at_panel):
    from review.decisions import consensus_record, decision_record

    admin = staff(funder, Role.ADMINISTRATOR)
    client.force_login(admin)
    client.post(reverse("review:letters", args=[funder.slug]), {
        "letter_justification": "panel", "letter_signature": "Anna Berg\nFondchef", "letter_distribution": ""})
    funder.refresh_from_db()
    assert funder.letter_justification == "panel" and funder.letter_signature == "Anna Berg\nFondchef"
    with scope(funder=funder):
        consensus_record(application=at_panel[0], by=admin, score=6, comment="A clear need and a strong team.", position=1)
        with_consensus = decision_record(application=at_panel[0], by=admin, outcome="declined", reason="Budget spent.")
        without = decision_record(application=at_panel[1], by=admin, outcome="declined", reason="Budget spent.")
        assert "A clear need and a strong team." in letter(with_consensus, "en")[1]
        assert "Budget spent." in letter(without, "en")[1]  # no panel assessment: the decision's own words


def test_only_administrators_change_the_letter_settings(client, funder):
    client.force_login(staff(funder, Role.SCREENER))
    response = client.post(reverse("review:letters", args=[funder.slug]), {"letter_justification": "panel"})
    assert response.status_code == 403
    funder.refresh_from_db()
    assert funder.letter_justification == "decision"


def test_a_norwegian_letter_keeps_its_letters_and_speaks_bokmal(funder, at_panel, tmp_path):
    from review.decisions import decision_record

    application = at_panel[0]
    with scope(funder=funder):
        application.title = "Økt åpenhet i søknadsbehandlingen – Tromsø"
        application.save(update_fields=["title"])
        decision = decision_record(application=application, by=staff(funder, Role.ADMINISTRATOR), outcome="granted",
                                   amount=400000, conditions="Rapport innen 1. juni.")
        _subject, _body, pdf = letter(decision, "nb")
    text = pdf_text(pdf, tmp_path).replace("\xa0", " ")
    assert "Økt åpenhet i søknadsbehandlingen – Tromsø" in text
    assert "Vedtak" in text and "Saksnummer" in text and "400 000 SEK" in text  # Swedish kronor, told apart from NOK
    assert "Rapport innen 1. juni." in text


def test_releasing_answers_at_once_and_the_letters_are_written_by_the_workers(client, funder, at_panel):
    from review.decisions import decision_record
    from review.tasks import prepare_decision_letter

    admin = staff(funder, Role.ADMINISTRATOR)
    with scope(funder=funder):
        decision = decision_record(application=at_panel[0], by=admin, outcome="granted", amount=400000)
    client.force_login(admin)
    response = client.post(reverse("review:release", args=[funder.slug, at_panel[0].call.slug]), follow=True)
    page = response.content.decode()  # no worker has run yet: the request does not wait for the letters
    assert "1 decision is released. Its letter is being written" in page
    assert "1</span> Being prepared" in page and 'hx-trigger="every 2s"' in page
    with scope(funder=funder):
        email = OutboxEmail.objects.get(kind="decision")
    assert email.status == OutboxEmail.Status.PREPARING and not email.attachment
    email_page = client.get(reverse("outbox_email", args=[funder.slug, email.pk])).content.decode()
    assert "The letter is being written." in email_page and "Save the draft" not in email_page

    assert prepare_decision_letter.apply(kwargs={"funder_id": funder.pk, "decision_id": decision.pk}).get() == "prepared"
    assert prepare_decision_letter.apply(kwargs={"funder_id": funder.pk, "decision_id": decision.pk}).get() == "already prepared"
    with scope(funder=funder):
        email.refresh_from_db()
    assert email.status == OutboxEmail.Status.DRAFT and email.subject == "Beslut om din ansökan RS-IF-2026-0001"  # the funder's language
    assert email.attachment_name == "RS-IF-2026-0001-decision.pdf"


def test_a_letter_whose_job_was_lost_is_written_by_the_sweep(funder, at_panel, django_capture_on_commit_callbacks):
    from review.tasks import funder_requeue_stuck
    from review.decisions import decision_record, decisions_release

    admin = staff(funder, Role.ADMINISTRATOR)
    with scope(funder=funder):
        decision_record(application=at_panel[0], by=admin, outcome="declined", reason="Outside the call.")
        decisions_release(call=at_panel[0].call, by=admin)  # in a test transaction the job is never handed over
        assert OutboxEmail.objects.get(kind="decision").status == OutboxEmail.Status.PREPARING
    with django_capture_on_commit_callbacks(execute=True):
        swept = funder_requeue_stuck.apply(kwargs={"funder_id": funder.pk, "minutes": 0}).get()
    assert swept["letters"] == 1
    with scope(funder=funder):
        email = OutboxEmail.objects.get(kind="decision")
    assert email.status == OutboxEmail.Status.DRAFT and "Outside the call." in email.body


def test_an_administrator_reads_the_letter_before_anything_is_released(client, funder, at_panel, tmp_path):
    from review.decisions import decision_record

    admin = staff(funder, Role.ADMINISTRATOR)
    call = at_panel[0].call
    preview = reverse("review:decision_letter_preview", args=[funder.slug, call.slug, at_panel[0].pk])
    client.force_login(admin)
    assert client.get(preview).status_code == 404  # no decision recorded yet
    with scope(funder=funder):
        decision_record(application=at_panel[0], by=admin, outcome="granted", amount=400000, conditions="Rapport i juni.")
    page = client.get(reverse("review:decision", args=[funder.slug, call.slug, at_panel[0].pk])).content.decode()
    assert preview in page and "nothing is sent until the decisions are released" in page
    response = client.get(preview)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path).replace("\xa0", " ")
    assert "RS-IF-2026-0001" in text and "400 000 kr" in text and "Rapport i juni." in text
    with scope(funder=funder):
        assert not OutboxEmail.objects.exists()  # reading the letter sends nothing
    client.force_login(staff(funder, Role.PANEL_MEMBER))
    assert client.get(preview).status_code == 403


@pytest.mark.parametrize("language", ["sv", "nb", "en"])
def test_every_letter_wording_opens_with_its_preview_in_every_language(client, funder, language):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    for outcome in Decision.Outcome.values:
        page = client.get(reverse("review:letter", args=[funder.slug, outcome, language]))
        assert page.status_code == 200 and "{" not in page.context["preview"][1], outcome


def test_the_saved_wording_can_be_seen_as_a_pdf_on_the_letterhead(client, funder, tmp_path):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    editor = reverse("review:letter", args=[funder.slug, "granted", "sv"])
    client.post(editor, {"subject": "Beslut {case_number}", "body": "Vi beviljar {project} {amount} under {project_period}."})
    page = client.get(editor).content.decode()
    sample = reverse("review:letter_pdf", args=[funder.slug, "granted", "sv"])
    assert sample in page
    response = client.get(sample)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path).replace("\xa0", " ")
    assert "Region Stockholm" in text and "Vi beviljar Stöd och organisation" in text and "1 245 497 kr" in text
    assert "Tillväxtverket" in text  # a sample financing table shows its layout
    client.force_login(staff(funder, Role.SCREENER))
    assert client.get(sample).status_code == 403


def test_the_decisions_of_one_period_are_released_without_the_others(client, funder, at_panel,
                                                                     django_capture_on_commit_callbacks):
    from datetime import datetime, timezone as tz

    from calls.models import Period
    from review.decisions import decision_record

    admin = staff(funder, Role.ADMINISTRATOR)
    call = at_panel[0].call
    with scope(funder=funder):
        spring = Period.objects.create(funder=funder, call=call, name={"en": "Spring"},
                                       opens_at=datetime(2026, 1, 1, tzinfo=tz.utc), closes_at=datetime(2026, 3, 1, tzinfo=tz.utc))
        autumn = Period.objects.create(funder=funder, call=call, name={"en": "Autumn"},
                                       opens_at=datetime(2026, 8, 1, tzinfo=tz.utc), closes_at=datetime(2026, 10, 1, tzinfo=tz.utc))
        for application, period in ((at_panel[0], spring), (at_panel[1], autumn)):
            application.period = period
            application.save(update_fields=["period"])
            decision_record(application=application, by=admin, outcome="declined", reason="Not this time.")
    client.force_login(admin)
    ranking = reverse("review:ranking", args=[funder.slug, call.slug])
    page = client.get(ranking, {"period": spring.pk}).content.decode()
    assert "Release the decisions of Spring" in page and "1 decision is recorded and not yet released" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("review:release", args=[funder.slug, call.slug]), {"period": spring.pk})
    with scope(funder=funder):
        released = set(Decision.objects.filter(released_at__isnull=False).values_list("application_id", flat=True))
        assert released == {at_panel[0].pk}
        assert list(OutboxEmail.objects.values_list("recipient", flat=True)) == [at_panel[0].applicant.email]
    assert "Release the decisions of Autumn" in client.get(ranking, {"period": autumn.pk}).content.decode()
