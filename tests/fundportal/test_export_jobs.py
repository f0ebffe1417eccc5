"""Exports in the background: the person who asked follows the job's progress and downloads its file; nobody else
does; a failure says so; expired files go."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from applications.lifecycle import State
from fundportal import exports
from fundportal.export_jobs import KINDS, ExportKind, export_job_run, export_job_start, export_jobs_remove_expired
from fundportal.exports import Table
from fundportal.models import ExportJob, Membership, Role
from fundportal.services import membership_revoke
from fundportal.tenancy import scope, scopes_disabled
from fundportal.views import exports as export_views
from tests.factories import ApplicationFactory, CallFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def to_screen(funder):
    call = CallFactory(fund__funder=funder)
    return [ApplicationFactory(call=call, state=State.SUBMITTED, case_number=f"RS-IF-2026-{n:04d}", title=f"Projekt {n}")
            for n in range(1, 6)]


def start(client, funder, extension="csv", query=""):
    """Click the queue's Export button; the job runs at once (eager Celery, once the request commits)."""
    return client.post(reverse("review:queue_export", args=[funder.slug, extension]) + query)


def job_page(client, funder, job):
    return client.get(reverse("export_job", args=[funder.slug, job.pk]))


def download(client, funder, job):
    return client.get(reverse("export_job_download", args=[funder.slug, job.pk]))


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def only_job():
    with scopes_disabled():
        return ExportJob.objects.get()


def test_exporting_the_queue_shows_the_job_done_and_downloads_every_row(
        client, funder, to_screen, django_capture_on_commit_callbacks):
    client.force_login(staff(funder, Role.SCREENER))
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, funder, query="?sort=case_number")
    job = only_job()
    assert response.status_code == 302 and response["Location"] == reverse("export_job", args=[funder.slug, job.pk])
    page = job_page(client, funder, job).content.decode()
    assert "Ready to download" in page and 'aria-valuenow="100"' in page and "5 of 5 rows written" in page
    assert "hx-get" not in page and "http-equiv" not in page  # done: the page stops following the job
    rows = csv_rows(download(client, funder, job))
    assert rows[0][:2] == ["Case number", "Project"]
    assert [row[0] for row in rows[1:]] == [f"RS-IF-2026-{n:04d}" for n in range(1, 6)]
    assert "Applications to screen" in client.get(reverse("exports", args=[funder.slug])).content.decode()


def test_a_job_under_way_shows_how_far_it_has_come_and_follows_itself(client, funder):
    screener = staff(funder, Role.SCREENER)
    with scope(funder=funder):
        job = ExportJob.objects.create(funder=funder, user=screener, kind="review.queue", title="Applications to screen",
                                       extension="csv", language="en", state=ExportJob.State.RUNNING, rows_done=250,
                                       rows_total=1000, expires=timezone.now() + timedelta(days=1))
    client.force_login(screener)
    page = job_page(client, funder, job).content.decode()
    assert "250 of 1000 rows written" in page and 'aria-valuenow="25"' in page and 'role="progressbar"' in page
    assert reverse("export_job_progress", args=[funder.slug, job.pk]) in page  # polled while it runs
    assert '<noscript><meta http-equiv="refresh"' in page  # and reloaded without JavaScript
    assert download(client, funder, job).status_code == 404  # no file yet


def test_the_writer_reports_progress_on_the_job_as_the_rows_go(funder, monkeypatch):
    seen = []

    def table(*, query, subject, extension):
        def rows():
            for n in range(5):
                with scopes_disabled():
                    seen.append(ExportJob.objects.get().rows_done)
                yield 0, [n]
        return Table(filename="numbers.csv", sheets=[("Numbers", ["n"])], total=5, rows=rows())

    monkeypatch.setitem(KINDS, "test.numbers", ExportKind("test.numbers", lambda subject: "Numbers", "fundportal.signed_in", table))
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    with scope(funder=funder):
        job = export_job_start(user=staff(funder), funder=funder, kind="test.numbers", extension="csv", query="")
        export_job_run(job=job)
        job.refresh_from_db()
    assert seen == [0, 0, 2, 2, 4] and (job.rows_done, job.rows_total, job.percent) == (5, 5, 100)


def test_a_failed_export_says_so(client, funder, monkeypatch):
    def broken(*, query, subject, extension):
        raise RuntimeError("the database went away")

    monkeypatch.setitem(KINDS, "test.broken", ExportKind("test.broken", lambda subject: "Broken", "fundportal.signed_in", broken))
    administrator = staff(funder)
    with scope(funder=funder):
        job = export_job_start(user=administrator, funder=funder, kind="test.broken", extension="csv", query="")
        assert export_job_run(job=job) == ExportJob.State.FAILED
    client.force_login(administrator)
    page = job_page(client, funder, job).content.decode()
    assert "Failed" in page and "The export could not be written" in page and "the database went away" not in page
    assert download(client, funder, job).status_code == 404


def test_another_person_of_the_same_funder_cannot_see_or_download_my_export(
        client, funder, to_screen, django_capture_on_commit_callbacks):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    with django_capture_on_commit_callbacks(execute=True):
        start(client, funder)
    job = only_job()
    client.force_login(staff(funder, Role.ADMINISTRATOR, user__email="colleague@rs.example"))
    assert job_page(client, funder, job).status_code == 404
    assert download(client, funder, job).status_code == 404
    assert "Applications to screen" not in client.get(reverse("exports", args=[funder.slug])).content.decode()


def test_another_funders_export_is_not_found_even_by_the_same_person(
        client, funder, other_funder, to_screen, django_capture_on_commit_callbacks):
    person = staff(funder, Role.ADMINISTRATOR)
    Membership.objects.create(funder=other_funder, user=person, role=Role.ADMINISTRATOR)
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        start(client, funder)
    job = only_job()
    assert job_page(client, other_funder, job).status_code == 404
    assert download(client, other_funder, job).status_code == 404
    assert download(client, funder, job).status_code == 200


def test_a_role_taken_away_ends_the_download(client, funder, to_screen, django_capture_on_commit_callbacks):
    screener = staff(funder, Role.SCREENER)
    Membership.objects.create(funder=funder, user=screener, role=Role.PANEL_MEMBER)
    client.force_login(screener)
    with django_capture_on_commit_callbacks(execute=True):
        start(client, funder)
    job = only_job()
    with scope(funder=funder):
        membership_revoke(membership=Membership.objects.get(user=screener, role=Role.SCREENER), by=staff(funder))
    assert download(client, funder, job).status_code == 403  # still a panel member, no longer a screener
    with scope(funder=funder):
        membership_revoke(membership=Membership.objects.get(user=screener), by=staff(funder))
    assert download(client, funder, job).status_code == 404  # no role at the funder at all


def test_expired_exports_are_removed_with_their_files(client, funder, to_screen, django_capture_on_commit_callbacks):
    client.force_login(staff(funder, Role.SCREENER))
    with django_capture_on_commit_callbacks(execute=True):
        start(client, funder)
        start(client, funder, "xlsx")
    with scope(funder=funder):
        old, fresh = ExportJob.objects.order_by("pk")
        ExportJob.objects.filter(pk=old.pk).update(expires=timezone.now() - timedelta(minutes=1))
        assert default_storage.exists(old.file.name)
        assert export_jobs_remove_expired(now=timezone.now()) == (1, 0)
        assert list(ExportJob.objects.all()) == [fresh]
    assert not default_storage.exists(old.file.name) and default_storage.exists(fresh.file.name)


def test_a_job_a_dead_worker_left_under_way_ends_as_failed(funder):
    with scope(funder=funder):
        job = ExportJob.objects.create(funder=funder, user=staff(funder), kind="review.queue", title="Queue",
                                       extension="csv", language="en", state=ExportJob.State.RUNNING,
                                       expires=timezone.now() + timedelta(days=1))
        assert export_jobs_remove_expired(now=timezone.now() + timedelta(hours=3)) == (0, 1)
        job.refresh_from_db()
    assert job.has_failed and "interrupted" in job.error


def test_a_job_already_written_is_not_written_again(funder, to_screen, django_capture_on_commit_callbacks):
    with scope(funder=funder), django_capture_on_commit_callbacks(execute=True):
        job = export_job_start(user=staff(funder), funder=funder, kind="review.queue", extension="csv", query="")
    with scope(funder=funder):
        job.refresh_from_db()
        written = job.file.name
        assert export_job_run(job=job) == ExportJob.State.DONE  # a redelivered task finds it done
        job.refresh_from_db()
    assert job.file.name == written


def test_a_person_has_at_most_three_exports_under_way(client, funder, to_screen):
    client.force_login(staff(funder, Role.SCREENER))
    for _ in range(4):  # the jobs stay queued: their requests' transactions never commit in a test
        response = start(client, funder)
    with scopes_disabled():
        assert ExportJob.objects.count() == 3
    assert response["Location"] == reverse("exports", args=[funder.slug])
    assert "You have 3 exports under way" in client.get(response["Location"]).content.decode()


def test_a_big_export_asked_for_at_once_offers_the_background_instead(client, funder, to_screen, monkeypatch):
    monkeypatch.setattr(export_views, "AT_ONCE", 4)
    client.force_login(staff(funder, Role.SCREENER))
    page = client.get(reverse("review:queue_export", args=[funder.slug, "csv"]), {"search": "Projekt"})
    text = page.content.decode()
    assert page.status_code == 200 and "This export has 5 rows" in text and 'method="post"' in text
    assert "?search=Projekt" in text
    with scopes_disabled():
        assert not ExportJob.objects.exists()  # a GET starts nothing


@pytest.mark.parametrize("jobs", [1, 12])
def test_the_job_page_and_my_exports_keep_their_query_count(client, funder, jobs, django_assert_num_queries):
    person = staff(funder, Role.SCREENER)
    with scope(funder=funder):
        made = [ExportJob.objects.create(funder=funder, user=person, kind="review.queue", title=f"Queue {n}",
                                         extension="csv", language="en", state=state,
                                         expires=timezone.now() + timedelta(days=1))
                for n, state in zip(range(jobs), [ExportJob.State.DONE, ExportJob.State.RUNNING] * jobs)]
    client.force_login(person)
    client.get(reverse("exports", args=[funder.slug]))  # the session and the language settle
    with django_assert_num_queries(5):  # the session, the person, their roles here, the funder, the jobs
        page = client.get(reverse("exports", args=[funder.slug])).content.decode()
    assert all(job.title in page for job in made)
    with django_assert_num_queries(5):
        client.get(reverse("export_job", args=[funder.slug, made[-1].pk]))
    with django_assert_num_queries(5):
        client.get(reverse("export_job_progress", args=[funder.slug, made[-1].pk]))


def test_staff_find_my_exports_in_their_menu_on_the_funders_pages_and_an_applicant_does_not(client, funder, applicant):
    exports_page = reverse("exports", args=[funder.slug])
    client.force_login(staff(funder, Role.SCREENER))
    assert f'href="{exports_page}"' in client.get(reverse("review:queue", args=[funder.slug])).content.decode()
    client.force_login(applicant)
    assert f'href="{exports_page}"' not in client.get(reverse("calls:call_list", args=[funder.slug])).content.decode()
