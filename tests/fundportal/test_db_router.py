"""With a read replica (DATABASE_REPLICA_URL), the yearly report, a call's progress and the export jobs read from it;
every write, and every other read, goes to the primary. Without one, everything goes to the primary.

The replica here is a second connection to the test database, as DATABASE_REPLICA_URL's alias is in tests (TEST
MIRROR of the primary); the tests are transactional so that it sees what the primary committed."""

import runpy
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connections, router
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.lifecycle import State
from applications.models import Application
from fundportal.db_router import REPLICA, reading_from_replica
from fundportal.export_jobs import export_job_start
from fundportal.models import ExportJob, Role
from fundportal.tenancy import scope
from tests.factories import ApplicationFactory, CallFactory, staff

SUBMITTED = datetime(2026, 3, 15, 12, tzinfo=ZoneInfo("Europe/Stockholm"))


@pytest.fixture
def replica(transactional_db):
    """The replica's alias beside the primary, on the same (test) database (added once the test has its database)."""
    connections.settings[REPLICA] = {**connections["default"].settings_dict, "TEST": {"MIRROR": "default"}}
    connections[REPLICA].connect()  # opened here, as the test's own databases were
    yield connections[REPLICA]
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def call_with_applications(funder):
    call = CallFactory(fund__funder=funder, slug="innovationsfonden", title={"en": "Innovation Fund"})
    for number in range(3):
        ApplicationFactory(call=call, state=State.IN_REVIEW, submitted_at=SUBMITTED, case_number=f"RS-IF-2026-{number}")
    return call


def is_write(sql):
    return sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))


def reads_of_applications(queries):
    """Reads of applications among ``queries`` (on PostgreSQL an export reads through a server-side cursor)."""
    return [query["sql"] for query in queries
            if not is_write(query["sql"]) and 'FROM "applications_application"' in query["sql"]]


def figures(queries):
    """The counts of applications among ``queries``."""
    return [sql for sql in reads_of_applications(queries) if 'COUNT("applications_application"' in sql]


def page_read(client, url, replica):
    """The page, and the counts of applications it made on the primary and on the replica."""
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(replica) as on_replica:
        response = client.get(url)
    assert response.status_code == 200
    return figures(primary.captured_queries), figures(on_replica.captured_queries)


@pytest.mark.django_db
def test_without_a_replica_every_read_and_write_goes_to_the_primary():
    with reading_from_replica():
        assert router.db_for_read(Application) == "default" and router.db_for_write(Application) == "default"


@pytest.mark.django_db(transaction=True)
def test_reads_inside_reading_from_replica_go_to_it_and_writes_to_the_primary(replica, funder, call_with_applications):
    assert router.db_for_read(Application) == "default"
    with reading_from_replica(), scope(funder=funder):
        assert router.db_for_read(Application) == REPLICA
        application = Application.objects.first()
        assert application._state.db == REPLICA
        assert router.db_for_write(Application, instance=application) == "default"
        application.title = "Saved on the primary"
        with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(replica) as on_replica:
            application.save(update_fields=["title"])
    assert [query for query in primary.captured_queries if is_write(query["sql"])]
    assert not on_replica.captured_queries
    assert router.allow_migrate(REPLICA, "applications") is False and router.allow_migrate("default", "applications")


@pytest.mark.django_db(transaction=True)
def test_the_yearly_report_and_a_calls_progress_read_from_the_replica(replica, client, funder, call_with_applications):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    report = reverse("applications:report", args=[funder.slug]) + "?year=2026"
    progress = reverse("review:progress", args=[funder.slug, call_with_applications.slug])
    for url in (report, progress):
        on_primary, on_replica = page_read(client, url, replica)
        assert on_replica and not on_primary, url


@pytest.mark.django_db(transaction=True)
def test_an_export_job_reads_its_rows_from_the_replica_and_records_its_progress_on_the_primary(
        replica, funder, call_with_applications):
    administrator = staff(funder, Role.ADMINISTRATOR)
    with scope(funder=funder), CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(replica) as on_replica:
        job = export_job_start(user=administrator, funder=funder, kind="applications.report", extension="xlsx",
                               query="", subject="2026")
    assert reads_of_applications(on_replica.captured_queries) and not reads_of_applications(primary.captured_queries)
    assert not [query for query in on_replica.captured_queries if is_write(query["sql"])]
    assert [query for query in primary.captured_queries if is_write(query["sql"]) and "rows_done" in query["sql"]]
    with scope(funder=funder):
        assert ExportJob.objects.get(pk=job.pk).state == ExportJob.State.DONE


def test_database_replica_url_adds_the_replica_mirrored_in_tests(monkeypatch):
    settings_file = str(settings.BASE_DIR / "fundportal" / "settings.py")
    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    assert "replica" not in runpy.run_path(settings_file)["DATABASES"]
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://fundportal:secret@postgres-replica:5432/fundportal")
    read = runpy.run_path(settings_file)
    assert read["DATABASES"]["replica"]["HOST"] == "postgres-replica"
    assert read["DATABASES"]["replica"]["TEST"] == {"MIRROR": "default"}
    assert read["DATABASE_ROUTERS"] == ["fundportal.db_router.ReplicaRouter"]
