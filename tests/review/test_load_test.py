"""The load test (manage.py load_test) and the deadline spike (manage.py deadline_spike), each in a short run with
tiny numbers against gunicorn: the figures are printed, the spike's counts are right, and nothing is left behind
(no server, no locust, no session, no spike data). Both need a database the server can share with the test:
PostgreSQL."""

from io import StringIO

import psutil
import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import timezone

from fundportal.models import Funder, Role, User
from fundportal.tenancy import scope
from review.benchmarking import spike
from tests.conftest import service_unavailable
from tests.factories import ApplicationFactory, staff

@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        service_unavailable("the server must share the test's database: PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def nothing_left_running():
    before = set(psutil.Process().children(recursive=True))  # e.g. the suite's Celery worker, started earlier
    yield
    assert set(psutil.Process().children(recursive=True)) - before == set()  # no gunicorn, no locust


def run(command, *options):
    out = StringIO()
    try:
        call_command(command, *options, stdout=out)
    finally:
        print(out.getvalue())  # the figures, when a run fails
    return out.getvalue()


def table(output):
    lines = [line for line in output.splitlines() if line.startswith("|")]
    header, _rule, *rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_short_load_test_prints_each_kind_of_request_with_its_throughput_and_percentiles(
        postgresql, nothing_left_running, funder, open_call, applicant):
    staff(funder, Role.ADMINISTRATOR)
    with scope(funder=funder):
        ApplicationFactory(call=open_call, period=open_call.periods.get(), applicant=applicant)  # a draft to write in

    output = run("load_test", "--users", "3", "--spawn-rate", "3", "--duration", "5")

    assert "people: 1 applicants with a draft, 0 panel members, 1 administrator(s)" in output
    assert "mix Applicant, Administrator" in output  # nobody to play a panel member
    rows = table(output)
    everything = rows.pop("all requests")
    assert int(everything["requests"]) >= 1 and everything["failures"] == "0"
    assert rows and all(name.split(":")[0] in ("applicant", "reviewer", "administrator") for name in rows)
    for row in rows.values():
        assert int(row["requests"]) > 0 and float(row["req/s"]) > 0
        assert 0 < int(row["median ms"]) <= int(row["p95 ms"]) <= int(row["p99 ms"])
    assert not Session.objects.exists()


def test_a_load_test_is_bounded_in_time_and_needs_data(db):
    with pytest.raises(CommandError, match="between 1 and 600 seconds"):
        call_command("load_test", "--duration", "601")
    with pytest.raises(CommandError, match="seed data first"):
        call_command("load_test", "--duration", "5")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_small_deadline_spike_stores_every_one_in_time_once_and_refuses_every_late_one_with_the_deadline(
        postgresql, nothing_left_running):
    output = run("deadline_spike", "--drafts", "10", "--late", "3", "--window", "8", "--clients", "10")

    year = timezone.localdate().year
    assert "before the deadline: 10 sent, 10 stored exactly once, 0 refused, 0 sent too late by the client — ok" in output
    assert (f"case numbers: 10 given, 10 unique, DS-IF-{year}-0001 to DS-IF-{year}-0010, without a gap — ok"
            in output)
    assert "after the deadline: 3 sent, 3 refused with the deadline shown" in output
    assert "server errors or unexpected answers: 0 — ok" in output
    assert "latency of a submission: p50" in output and "(the target: p99 under 1 s)" in output
    assert "verdict: PASS; p99 under 1 s: " in output  # how fast is the machine's as much as the portal's
    assert not Funder.objects.filter(slug=spike.SLUG).exists()
    assert not User.objects.filter(email__endswith=f"@{spike.DOMAIN}").exists()
    assert not Session.objects.exists()


def test_the_deadline_spike_refuses_sqlite_and_a_window_beyond_ten_minutes(db, monkeypatch):
    monkeypatch.setattr(connections["default"], "vendor", "postgresql")
    with pytest.raises(CommandError, match="between 2 and 600 seconds"):
        call_command("deadline_spike", "--window", "601")
    monkeypatch.setattr(connections["default"], "vendor", "sqlite")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("deadline_spike")
    assert not Funder.objects.filter(slug=spike.SLUG).exists()
