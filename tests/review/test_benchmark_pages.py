"""The page benchmark (manage.py benchmark_pages) on the demo world, timed in this process with one request each:
every key page answers 200 and has its query count, HTML size and floor; the floor is as big as asked and reads
nothing; gunicorn starts with the floor's URL and stops at the end."""

from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from review.benchmarking import load
from review.benchmarking.floor import floor_path
from review.benchmarking.pages import PAGE_KEYS


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def benchmark(*options):
    out = StringIO()
    call_command("benchmark_pages", "--in-process", "--repeat", "1", *options, stdout=out)
    return out.getvalue()


def table(output):
    """The printed table's rows, each a dict by column."""
    lines = [line for line in output.splitlines() if line.startswith("|")]
    header, _rule, *rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_every_key_page_answers_and_has_its_queries_size_and_floor_or_only_those_asked_for(demo):
    sessions = Session.objects.count()
    output = benchmark()
    assert Session.objects.count() == sessions  # the people it signed in are signed out again
    rows = table(output)
    assert [row["page"] for row in rows] == list(PAGE_KEYS)
    for row in rows:
        assert row["status"] == "200", row
        assert int(row["queries"]) > 0, row
        assert float(row["HTML KB"]) > 1, row
        assert float(row["floor median ms"]) > 0, row
        assert float(row["ratio to floor"]) == pytest.approx(float(row["median ms"]) / float(row["floor median ms"]),
                                                            abs=0.1), row
    assert "region-stockholm/innovationsfonden-2022" in output  # the biggest call of the demo
    assert [row["page"] for row in table(benchmark("--pages", "ranking,review", "people"))] == [
        "review", "ranking", "people"]  # a subset, in the table's order


def test_an_unknown_page_or_concurrency_without_the_server_is_refused(db):
    with pytest.raises(CommandError, match="No such page: nowhere"):
        benchmark("--pages", "ranking", "nowhere")
    with pytest.raises(CommandError, match="needs the server"):
        benchmark("--concurrency", "4")


@override_settings(ROOT_URLCONF="review.benchmarking.urls")
def test_the_floor_is_as_big_as_asked_and_reads_nothing(client, db):
    for size in (2_000, 20_000, 123_457):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(floor_path(size))
        assert response.status_code == 200
        assert len(response.content) == size
        assert len(queries) == 0


def test_gunicorn_serves_the_floor_and_stops(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'untouched.sqlite3'}")
    with load.gunicorn() as server:
        latency = load.latency(server, floor_path(10_000), None, repeat=3, concurrency=2)
        assert latency.statuses == {200}
        assert 0 < latency.median <= latency.p95
    with pytest.raises(ConnectionRefusedError):
        server.get(floor_path(0), None)
