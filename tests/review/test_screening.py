"""The pre-screening group triages submitted applications against the call's checklist."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.lifecycle import State
from fundportal.models import Role
from fundportal.tenancy import scope
from review.models import Screening
from tests.factories import ApplicationFactory, staff

pytestmark = pytest.mark.django_db


def queue(funder):
    return reverse("review:queue", args=[funder.slug])


def screening(funder, application):
    return reverse("review:screening", args=[funder.slug, application.pk])


@pytest.fixture
def screener(funder):
    return staff(funder, Role.SCREENER)


def test_the_queue_lists_submitted_applications_and_finds_one_by_search(client, funder, submitted, screener):
    client.force_login(screener)
    page = client.get(queue(funder)).content.decode()
    assert all(application.title in page for application in submitted)
    found = client.get(queue(funder), {"search": "IVA"}).content.decode()
    assert "IVA-dagboken" in found and "Textilsvinn" not in found


def test_a_draft_is_not_in_the_queue(client, funder, panel_call, screener):
    ApplicationFactory(call=panel_call, state=State.DRAFT, title="Half written")
    client.force_login(screener)
    assert "Half written" not in client.get(queue(funder)).content.decode()


def test_passing_an_application_moves_it_to_the_panel_with_the_checklist_kept(client, funder, submitted, screener):
    application = submitted[0]
    with scope(funder=funder):
        items = list(application.call.checklist.all())
    client.force_login(screener)
    client.post(screening(funder, application), {
        f"check-result_{items[0].pk}": "pass", f"check-result_{items[1].pk}": "pass",
        f"check-comment_{items[1].pk}": "Signed by the head of clinic", "outcome-outcome": "pass", "decide": "1"})
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW and application.current_stage.kind == "panel"
    with scope(funder=funder):
        results = Screening.objects.get(application=application).results
    assert results[str(items[1].pk)] == {"result": "pass", "comment": "Signed by the head of clinic"}


def test_screening_out_needs_a_reason_for_the_applicant(client, funder, submitted, screener):
    application = submitted[0]
    client.force_login(screener)
    response = client.post(screening(funder, application), {"outcome-outcome": "screen_out", "decide": "1"})
    assert "Give the reason; the applicant will read it." in response.content.decode()
    client.post(screening(funder, application), {"outcome-outcome": "screen_out", "outcome-reason": "Outside the region.", "decide": "1"})
    application.refresh_from_db()
    assert application.state == State.DECLINED
    with scope(funder=funder):
        assert application.transitions.last().comment == "Outside the region."


def test_returning_for_completion_gives_the_applicant_a_due_date(client, funder, submitted, screener):
    application = submitted[1]
    client.force_login(screener)
    due = timezone.localtime(timezone.now() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    client.post(screening(funder, application), {"outcome-outcome": "return", "outcome-reason": "Add the manager's approval.",
                                                  "outcome-due": due, "decide": "1"})
    application.refresh_from_db()
    assert application.state == State.RETURNED and application.completion_due is not None


def test_several_applications_pass_at_once(client, funder, submitted, screener):
    client.force_login(screener)
    client.post(queue(funder), {"selected": [submitted[0].pk, submitted[2].pk]})
    states = []
    for application in submitted:
        application.refresh_from_db()
        states.append((application.state, application.current_stage and application.current_stage.kind))
    assert states == [(State.IN_REVIEW, "panel"), (State.SUBMITTED, None), (State.IN_REVIEW, "panel")]


@pytest.mark.parametrize(("role", "status"), [(Role.ADMINISTRATOR, 200), (Role.SCREENER, 200), (Role.PANEL_MEMBER, 403),
                                              (Role.STEERING_MEMBER, 403)])
def test_only_screeners_and_administrators_screen(client, funder, submitted, role, status):
    client.force_login(staff(funder, role))
    assert client.get(queue(funder)).status_code == status
    assert client.get(screening(funder, submitted[0])).status_code == status
    assert client.get(reverse("review:queue_export", args=[funder.slug, "csv"])).status_code == status


def test_applicants_and_other_funders_get_404(client, funder, other_funder, submitted, outsider):
    for person in (outsider, staff(other_funder, Role.SCREENER)):
        client.force_login(person)
        assert client.get(queue(funder)).status_code == 404
        assert client.get(screening(funder, submitted[0])).status_code == 404
        assert client.get(reverse("review:queue_export", args=[funder.slug, "xlsx"])).status_code == 404


def test_the_queue_keeps_its_query_count(client, funder, panel_call, screener, django_assert_max_num_queries):
    ApplicationFactory(call=panel_call, state=State.SUBMITTED)
    client.force_login(screener)
    with django_assert_max_num_queries(15) as one:
        client.get(queue(funder))
    ApplicationFactory.create_batch(20, call=panel_call, state=State.SUBMITTED)
    with django_assert_max_num_queries(15) as many:
        client.get(queue(funder))
    assert len(many) == len(one)


def test_the_queue_filters_by_screener_and_period(client, funder, submitted, screener):
    client.force_login(screener)
    with scope(funder=funder):
        Screening.objects.create(funder=funder, application=submitted[0], screener=screener, results={})
    page = client.get(queue(funder), {"screener": screener.pk}).content.decode()
    assert "Textilsvinn" in page and "IVA-dagboken" not in page
    with scope(funder=funder):
        from calls.models import Period

        period = Period.objects.create(funder=funder, call=submitted[1].call, opens_at=timezone.now() - timedelta(days=9),
                                       closes_at=timezone.now() - timedelta(days=1))
    submitted[1].period = period
    submitted[1].save()
    period.call.published_at = timezone.now()
    period.call.save()
    page = client.get(queue(funder), {"period": period.pk}).content.decode()
    assert "IVA-dagboken" in page and "Textilsvinn" not in page


def test_the_queue_downloads_with_its_filters_as_csv_and_excel(client, funder, submitted, screener,
                                                              django_assert_max_num_queries):
    import io
    import zipfile

    client.force_login(screener)
    export = reverse("review:queue_export", args=[funder.slug, "csv"])
    text = client.get(export, {"search": "dagboken"}).content.decode("utf-8-sig")  # no generated name or address has it
    lines = text.splitlines()
    assert lines[0].startswith("Case number;Project;Applicant;Email;Call")
    assert len(lines) == 2 and lines[1].startswith("RS-IF-2026-0002;IVA-dagboken;")
    with django_assert_max_num_queries(12) as three:
        client.get(export)
    ApplicationFactory.create_batch(10, call=submitted[0].call, state=State.SUBMITTED)
    with django_assert_max_num_queries(12) as thirteen:
        rows = client.get(export).content.decode("utf-8-sig").splitlines()
    assert len(rows) == 14 and len(thirteen) == len(three)
    workbook = client.get(reverse("review:queue_export", args=[funder.slug, "xlsx"]), {"search": "Robyn"}).content
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        strings = archive.read("xl/sharedStrings.xml").decode()
        assert "Applications to screen" in archive.read("xl/workbook.xml").decode()
    assert "RS-IF-2026-0003" in strings and "Robyn" in strings and "Textilsvinn" not in strings
