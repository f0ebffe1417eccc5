"""The audit trail of applications: each move, each edit after submission, each download, and every page or file that
shows the funder's staff a part marked confidential is recorded once; each application has its own trail."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.drafting import application_save_answers, attachment_add, attachment_remove
from applications.lifecycle import State
from applications.services import application_transition
from fundportal.audit import audit_record
from fundportal.models import Role
from fundportal.tenancy import scope
from tests.applications import test_completion
from tests.auditing import CLIENT_ADDRESS, PROXY, Kind, admin, behind_the_proxy, events  # noqa: F401 - the trail tests' fixtures
from tests.factories import ApplicationFactory, staff

pytestmark = pytest.mark.django_db
returned = test_completion.returned  # the fixture: an application submitted, then returned for completion


@pytest.fixture
def submitted(funder, open_call, applicant):
    return ApplicationFactory(call=open_call, applicant=applicant, state=State.SUBMITTED, case_number="RS-IF-2026-0001",
                              title="Textilsvinn")


def test_every_move_is_recorded_once_with_its_states(client, funder, submitted, behind_the_proxy):
    screener = staff(funder, Role.SCREENER, user__email="screener@rs.example")
    with scope(funder=funder):
        application_transition(application=submitted, action="start_review", by=screener)
    [moved] = events(funder, kind=Kind.APPLICATION_MOVED)
    assert (moved.actor, moved.application_id, moved.object_label) == (screener, submitted.pk, "RS-IF-2026-0001")
    assert moved.details == {"action": "start_review", "from": State.SUBMITTED, "to": State.IN_REVIEW}


def test_a_move_made_through_a_page_carries_the_address(client, funder, applicant, submitted):
    client.force_login(applicant)
    client.post(reverse("applications:withdraw", args=[funder.slug, submitted.pk]), {"comment": "Funded elsewhere"},
                **PROXY)
    [moved] = events(funder, kind=Kind.APPLICATION_MOVED)
    assert (moved.actor, moved.address, moved.details["to"]) == (applicant, CLIENT_ADDRESS, State.WITHDRAWN)


def test_a_refused_move_records_nothing(funder, submitted, applicant):
    with scope(funder=funder), pytest.raises(Exception):
        application_transition(application=submitted, action="grant", by=applicant)
    assert events(funder) == []


def test_editing_a_returned_application_is_recorded_and_a_draft_is_not(funder, applicant, returned, open_call):
    application, purpose = returned
    with scope(funder=funder):
        application_save_answers(application=application, version=application.version, by=applicant,
                                 answers={f"q{purpose.pk}": "More detail"})
        quote = open_call.sections.get(position=1).questions.get(position=1)
        application.refresh_from_db()
        attachment = attachment_add(application=application, question=quote, by=applicant,
                                    upload=SimpleUploadedFile("quote.pdf", b"%PDF-1.7\nquote"))
        attachment_remove(attachment=attachment, by=applicant)
    edits = events(funder, kind=Kind.APPLICATION_EDITED)
    assert [event.details["change"] for event in edits] == ["answers", "file_added", "file_removed"]
    assert {(event.actor, event.application_id) for event in edits} == {(applicant, application.pk)}
    assert edits[0].details["sections"] == [purpose.section_id]

    draft = ApplicationFactory(call=open_call, applicant=applicant)
    with scope(funder=funder):
        application_save_answers(application=draft, version=draft.version, by=applicant,
                                 answers={f"q{purpose.pk}": "A draft"})
    assert len(events(funder, kind=Kind.APPLICATION_EDITED)) == 3


@pytest.fixture
def confidential(funder, submitted, open_call):
    """The application with its purpose marked confidential and a file marked confidential."""
    with scope(funder=funder):
        purpose = open_call.sections.get(position=0).questions.get(position=0)
        quote = open_call.sections.get(position=1).questions.get(position=1)
        submitted.answers = {f"q{purpose.pk}": "A trade secret"}
        submitted.confidential = {f"q{purpose.pk}": "Patent pending"}
        submitted.save()
        attachment = submitted.attachments.create(
            funder=funder, question=quote, file=SimpleUploadedFile("prices.pdf", b"%PDF-1.7\nprices"),
            original_name="prices.pdf", content_type="application/pdf", size=16, confidential_reason="Prices",
            uploaded_by=submitted.applicant)
    return submitted, attachment


def test_an_administrator_reading_the_confidential_parts_is_recorded_once_per_page(client, funder, admin,
                                                                                  confidential):
    application, _attachment = confidential
    client.force_login(admin)
    client.get(reverse("applications:detail", args=[funder.slug, application.pk]), **PROXY)
    [viewed] = events(funder, kind=Kind.CONFIDENTIAL_VIEWED)
    assert (viewed.actor, viewed.address, viewed.application_id) == (admin, CLIENT_ADDRESS, application.pk)
    assert viewed.details == {"page": "application", "parts": 2}  # the answer and the file: one event
    client.get(reverse("applications:detail", args=[funder.slug, application.pk]))
    assert len(events(funder, kind=Kind.CONFIDENTIAL_VIEWED)) == 2  # each reading of the page


def test_the_applicant_reading_their_own_confidential_parts_is_not_recorded(client, funder, applicant, confidential):
    application, attachment = confidential
    client.force_login(applicant)
    client.get(reverse("applications:detail", args=[funder.slug, application.pk]))
    client.get(reverse("applications:attachment", args=[funder.slug, application.pk, attachment.pk]))
    assert events(funder, kind=Kind.CONFIDENTIAL_VIEWED) == [] and events(funder, kind=Kind.FILE_DOWNLOADED) == []


def test_a_page_without_confidential_parts_records_no_view(client, funder, admin, submitted):
    client.force_login(admin)
    client.get(reverse("applications:detail", args=[funder.slug, submitted.pk]))
    assert events(funder, kind=Kind.CONFIDENTIAL_VIEWED) == []


def test_downloading_a_confidential_file_is_recorded_as_its_view(client, funder, admin, confidential):
    application, attachment = confidential
    client.force_login(admin)
    response = client.get(reverse("applications:attachment", args=[funder.slug, application.pk, attachment.pk]))
    assert response.status_code == 200
    [viewed] = events(funder, kind=Kind.CONFIDENTIAL_VIEWED)
    assert viewed.details == {"page": "file", "parts": 1, "file": "prices.pdf"}
    assert viewed.object_label == "RS-IF-2026-0001: prices.pdf"


def test_downloading_a_plain_file_and_the_pdf_is_recorded(client, funder, admin, confidential, submitted):
    application, attachment = confidential
    with scope(funder=funder):
        attachment.confidential_reason = ""
        attachment.save()
    client.force_login(admin)
    client.get(reverse("applications:attachment", args=[funder.slug, application.pk, attachment.pk]))
    [downloaded] = events(funder, kind=Kind.FILE_DOWNLOADED)
    assert downloaded.actor == admin and downloaded.details == {"file": "prices.pdf"}
    assert client.get(reverse("applications:pdf", args=[funder.slug, application.pk])).status_code == 200
    [pdf] = events(funder, kind=Kind.CONFIDENTIAL_VIEWED)  # the answer marked confidential is in the PDF
    assert pdf.details == {"page": "pdf", "parts": 1}
    with scope(funder=funder):
        application.confidential = {}
        application.save()
    client.get(reverse("applications:pdf", args=[funder.slug, application.pk]))
    assert len(events(funder, kind=Kind.APPLICATION_DOWNLOADED)) == 1


# --- The application's own trail ----------------------------------------------------------------------------

def own_trail(client, funder, application, **query):
    return client.get(reverse("applications:audit", args=[funder.slug, application.pk]), query)


def test_the_applications_page_links_to_its_trail_which_shows_only_its_events(client, funder, admin, submitted,
                                                                              open_call):
    other = ApplicationFactory(call=open_call, state=State.SUBMITTED, case_number="RS-IF-2026-0002")
    screener = staff(funder, Role.SCREENER, user__email="screener@rs.example")
    with scope(funder=funder):
        application_transition(application=submitted, action="start_review", by=screener)
        application_transition(application=other, action="start_review", by=screener)
    client.force_login(admin)
    page = client.get(reverse("applications:detail", args=[funder.slug, submitted.pk])).content.decode()
    assert reverse("applications:audit", args=[funder.slug, submitted.pk]) in page
    trail = own_trail(client, funder, submitted).content.decode()
    assert "Start review: from “Submitted” to “In review”" in trail and "screener@rs.example" in trail
    assert "RS-IF-2026-0001" in trail and "RS-IF-2026-0002" not in trail
    assert f'href="{reverse("applications:detail", args=[funder.slug, submitted.pk])}"' in trail


def test_an_application_with_no_events_says_what_gets_recorded(client, funder, admin, submitted):
    client.force_login(admin)
    page = own_trail(client, funder, submitted).content.decode()
    assert "Nothing has been recorded here yet" in page and "Confidential part viewed" in page


@pytest.mark.parametrize("count", [1, 30])
def test_the_applications_trail_reads_in_constant_queries(client, funder, admin, submitted, count,
                                                          django_assert_num_queries):
    with scope(funder=funder):
        for _n in range(count):
            audit_record(kind=Kind.APPLICATION_DOWNLOADED, actor=admin, obj=submitted, application_id=submitted.pk)
    client.force_login(admin)
    own_trail(client, funder, submitted)
    with django_assert_num_queries(11):  # the application with its form, then as the funder's trail
        assert own_trail(client, funder, submitted).status_code == 200


def test_the_applications_trail_is_exported(client, funder, admin, submitted, open_call):
    other = ApplicationFactory(call=open_call, state=State.SUBMITTED)
    with scope(funder=funder):
        audit_record(kind=Kind.APPLICATION_DOWNLOADED, actor=admin, obj=submitted, application_id=submitted.pk)
        audit_record(kind=Kind.FILE_DOWNLOADED, actor=admin, obj=other, application_id=other.pk,
                     details={"file": "elsewhere.pdf"})
    client.force_login(admin)
    response = client.get(reverse("applications:audit_export", args=[funder.slug, submitted.pk, "csv"]))
    text = response.content.decode("utf-8-sig")
    assert "Application downloaded as PDF" in text and "elsewhere.pdf" not in text
    [exported] = events(funder, kind=Kind.EXPORTED)
    assert exported.details["title"] == f"Audit trail of application {submitted.pk}"
