"""The assessment's exports in the background: an administrator exports the ranking with its reviews, a screener the
queue, the steering group the yearly report; each file holds every row, with the page's filters and order."""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from fundportal.models import ExportJob, Role
from fundportal.tenancy import scope, scopes_disabled
from review.models import Assignment
from review.services import assignment_declare, assignments_auto, review_save
from tests.factories import staff

pytestmark = pytest.mark.django_db


def exported(client, funder, url, django_capture_on_commit_callbacks):
    """Click an Export button, follow to the job's page (done at once: eager Celery) and download the file."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert client.get(response["Location"]).context["job"].is_done
    with scopes_disabled():
        job = ExportJob.objects.get()
    return b"".join(client.get(reverse("export_job_download", args=[funder.slug, job.pk])).streaming_content)


def sheets(workbook):
    """Each worksheet's XML, in order (the written workbook keeps its text inline)."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        return [archive.read(f"xl/worksheets/sheet{n}.xml").decode()
                for n in range(1, 1 + sum(name.startswith("xl/worksheets/sheet") for name in archive.namelist()))]


@pytest.fixture
def reviewed(funder, at_panel, panel):
    """Every application at the panel with two submitted reviews."""
    with scope(funder=funder):
        assignments_auto(applications=at_panel, per_application=2, by=staff(funder))
        criteria = list(at_panel[0].call.criteria.all())
        for assignment in Assignment.objects.all():
            assignment_declare(assignment=assignment, has_conflict=False)
            review_save(assignment=assignment, recommendation="fund", comment=f"Review of {assignment.application.title}",
                        submit=True, scores={str(c.pk): {"score": 5, "comment": ""} for c in criteria})
    return at_panel


def test_an_administrator_exports_the_ranking_with_every_review(
        client, funder, reviewed, django_capture_on_commit_callbacks):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    call = reviewed[0].call
    workbook = exported(client, funder, reverse("review:ranking_export", args=[funder.slug, call.slug, "xlsx"]),
                        django_capture_on_commit_callbacks)
    ranking, reviews = sheets(workbook)
    assert all(application.case_number in ranking for application in reviewed) and "Weighted total" in ranking
    assert "<v>5</v>" in ranking  # figures stay numbers Excel can sum
    assert all(reviews.count(f"Review of {application.title}") == 2 for application in reviewed)


def test_the_ranking_export_keeps_the_pages_filters(client, funder, reviewed, django_capture_on_commit_callbacks):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    call = reviewed[0].call
    url = reverse("review:ranking_export", args=[funder.slug, call.slug, "csv"]) + "?q=Robyn"
    text = exported(client, funder, url, django_capture_on_commit_callbacks).decode("utf-8-sig")
    assert "Robyn" in text and "Textilsvinn" not in text and len(text.splitlines()) == 2


def test_a_period_not_the_calls_starts_no_export(client, funder, reviewed):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    url = reverse("review:ranking_export", args=[funder.slug, reviewed[0].call.slug, "xlsx"]) + "?period=999999"
    assert client.post(url).status_code == 404
    with scopes_disabled():
        assert not ExportJob.objects.exists()


def test_a_screener_exports_the_queue_as_sorted_on_screen(client, funder, submitted, django_capture_on_commit_callbacks):
    client.force_login(staff(funder, Role.SCREENER))
    url = reverse("review:queue_export", args=[funder.slug, "xlsx"]) + "?sort=title"
    (sheet,) = sheets(exported(client, funder, url, django_capture_on_commit_callbacks))
    assert sheet.index("IVA-dagboken") < sheet.index("Robyn") < sheet.index("Textilsvinn")


def test_the_steering_group_exports_the_yearly_report(client, funder, submitted, django_capture_on_commit_callbacks):
    client.force_login(staff(funder, Role.STEERING_MEMBER))
    year = timezone.localdate().year
    url = reverse("applications:report_export", args=[funder.slug, "xlsx"]) + f"?year={year}"
    workbook = exported(client, funder, url, django_capture_on_commit_callbacks)
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        assert "Funded projects" in archive.read("xl/workbook.xml").decode()
    assert "Applications received" in sheets(workbook)[0]
    with scopes_disabled():
        assert ExportJob.objects.get().title == f"Report {year}"
