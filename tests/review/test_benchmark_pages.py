"""The page benchmark (manage.py benchmark_pages) on the demo world, timed in this process with one request each:
every key page answers 200 and has its query count, HTML size and floor; the floor is as big as asked and reads
nothing; gunicorn starts with the floor's URL and stops at the end. The verdicts on issue 12's targets are computed
and printed (whether the figures meet them depends on the machine: no test times anything)."""

import json

from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from review.benchmarking import load, targets
from review.benchmarking.floor import floor_path
from review.benchmarking.pages import PAGE_KEYS


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def benchmark(*options):
    out = StringIO()
    call_command("benchmark_pages", "--in-process", "--repeat", "1", *options, stdout=out)
    return out.getvalue()


def table(output, number=0):
    """The rows of the printed table ``number`` (0: the figures, 1: the targets), each a dict by column."""
    tables, lines = [], []
    for line in [*output.splitlines(), ""]:
        if line.startswith("|"):
            lines.append(line)
        elif lines:
            tables.append(lines)
            lines = []
    header, _rule, *rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in tables[number]]
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


def test_a_saved_run_is_compared_with_and_each_page_gets_a_verdict_on_every_target(demo, tmp_path):
    saved = tmp_path / "demo.json"
    benchmark("--pages", "ranking", "people", "--save", str(saved))
    record = json.loads(saved.read_text())
    assert record["in_call"] == 112 and set(record["pages"]) == {"ranking", "people"}
    assert record["pages"]["ranking"]["queries"] > 0 and record["pages"]["ranking"]["size"] > 1024

    output = benchmark("--pages", "ranking", "people", "--against", str(saved))
    verdicts = table(output, 1)
    assert [row["page"] for row in verdicts] == ["ranking", "people"]
    for row in verdicts:
        queries = record["pages"][row["page"]]["queries"]
        assert row["queries by size"] == f"{queries} / {queries}", row  # the same data twice: the same queries
        assert row["constant"] == "PASS", row
        assert row["within 3×"] == ("PASS" if float(row["ratio to floor"]) <= 3 else "MISS"), row
        assert row["p95 under 150 ms"] == "—", row  # one client in this process: the p95 target is not measured
    assert "215 applications (112 in the call) / 215 applications (112 in the call)" in output


def test_a_run_that_cannot_be_read_is_refused(db, tmp_path):
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(CommandError, match="Cannot read the run in"):
        benchmark("--against", str(tmp_path / "broken.json"))
    with pytest.raises(CommandError, match="Cannot read the run in"):
        benchmark("--against", str(tmp_path / "missing.json"))


def figures(queries=5, size=10_240, median=10.0, p95=100.0, floor_median=5.0):
    return targets.Figures(queries=queries, size=size, median=median, p95=p95, floor_median=floor_median)


def run(applications, concurrency=16, **pages):
    return targets.Run(applications=applications, in_call=applications // 2, concurrency=concurrency, pages=pages)


def test_a_page_misses_a_target_when_its_queries_or_size_grow_it_is_slow_beside_its_floor_or_its_p95_is_high():
    small = run(1_000, ranking=figures(), people=figures(), outbox=figures())
    big = run(5_000, ranking=figures(queries=6), people=figures(size=12_000, median=15.1, p95=151.0),
              outbox=figures(size=11_000, median=15.0, p95=149.9))
    rows, runs = targets.target_rows(big, [small])
    verdicts = {row["page"]: row for row in rows}
    assert [r.applications for r in runs] == [1_000, 5_000]  # by size, whichever was given first
    assert verdicts["ranking"]["queries by size"] == "5 / 6" and verdicts["ranking"]["constant"] == "MISS"
    assert verdicts["people"]["constant"] == "MISS"  # 10.0 KB → 11.7 KB is more than a tenth more
    assert verdicts["outbox"]["constant"] == "PASS"  # 10.0 KB → 10.7 KB
    assert verdicts["people"]["within 3×"] == "MISS" and verdicts["outbox"]["within 3×"] == "PASS"
    assert verdicts["people"]["p95 under 150 ms"] == "MISS" and verdicts["outbox"]["p95 under 150 ms"] == "PASS"
    alone, _runs = targets.target_rows(run(1_000, concurrency=4, ranking=figures()))
    assert alone[0]["constant"] == "—" and alone[0]["p95 under 150 ms"] == "—"  # one size; fewer than 16 clients
