"""A realistic mix of people at once against gunicorn, with locust: throughput and latency per kind of request.

    .venv/bin/python manage.py load_test [--users 50] [--spawn-rate 10] [--duration 60]

On the data in the database (seed_demo or seed_scale first; the test saves drafts and draft reviews, so use a
database of your own, never a shared one), review/benchmarking/mix.py picks the people and addresses: applicants
browsing the open calls, a call and their applications and writing in a draft (autosave); panel members on their
dashboard, reading and saving a review's scores; the biggest call's administrator on its ranking, a decision page,
the screening queue and the progress. It signs them in, starts gunicorn (2 sync workers, DJANGO_DEBUG=false, a free
loopback port) and runs locust headless in a process of its own (review/benchmarking/locustfile.py: --users people
in the mix 6 applicants : 3 panel members : 1 administrator, --spawn-rate started a second, for --duration seconds,
at most 10 minutes). Then it prints per kind of request: requests, failures, requests a second, median, p95 and p99.
Everything stops and the sessions end when it is done.
"""

import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

import django
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from review.benchmarking import load, mix
from review.benchmarking.pages import signed_in
from review.benchmarking.serving import gunicorn_on_this_database

LOCUSTFILE = Path(__file__).resolve().parents[2] / "benchmarking" / "locustfile.py"
MAX_DURATION = 600
COLUMNS = ("request", "requests", "failures", "req/s", "median ms", "p95 ms", "p99 ms")


class Command(BaseCommand):
    help = "Load-test a realistic mix of applicants, panel members and administrators against gunicorn with locust."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50, help="simulated people at once")
        parser.add_argument("--spawn-rate", type=float, default=10, help="people started a second")
        parser.add_argument("--duration", type=int, default=60, help=f"seconds, at most {MAX_DURATION}")

    def handle(self, *args, users, spawn_rate, duration, **options):
        if users < 1 or spawn_rate <= 0 or not 1 <= duration <= MAX_DURATION:
            raise CommandError(f"--users must be at least 1, --spawn-rate above 0, --duration between 1 and "
                               f"{MAX_DURATION} seconds.")
        cast = mix.cast(duration)
        if cast is None:
            raise CommandError("No call with a fund administrator: seed data first (seed_demo or seed_scale).")
        self.describe(cast, users, spawn_rate, duration)
        with tempfile.TemporaryDirectory(prefix="fp-load-") as folder, signed_in(cast.people()) as cookies:
            plan = Path(folder) / "plan.json"
            plan.write_text(json.dumps(cast.plan(cookies)))
            with gunicorn_on_this_database() as server:
                run_locust(server.port, plan, Path(folder) / "locust", cast.user_classes(), users, spawn_rate, duration)
            rows = read_stats(Path(folder) / "locust_stats.csv")
            failures = read_failures(Path(folder) / "locust_failures.csv")
        self.table(rows, failures)

    def describe(self, cast, users, spawn_rate, duration):
        self.stdout.write(
            f"load_test, {timezone.now():%Y-%m-%d %H:%M} UTC\n"
            f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, Django {django.get_version()}, "
            f"{connection.vendor} {connection.settings_dict['NAME']}; gunicorn, {load.WORKERS} sync workers, "
            f"DJANGO_DEBUG=false, loopback\n"
            f"people: {len(cast.applicants)} applicants with a draft, {len(cast.reviewers)} panel members, "
            f"{len(cast.administrators)} administrator(s); mix {', '.join(cast.user_classes())} 6:3:1\n"
            f"load: {users} simulated people, {spawn_rate:g} started a second, {duration} s, 1–4 s between steps "
            f"(simulated people outnumbering the real ones share them: two saving one draft may get 409, "
            f"the portal's refusal to save over newer text)\n")

    def table(self, rows, failures):
        self.stdout.write("| " + " | ".join(COLUMNS) + " |")
        self.stdout.write("|" + "|".join("---" for _column in COLUMNS) + "|")
        for row in rows:
            self.stdout.write("| " + " | ".join(str(row[column]) for column in COLUMNS) + " |")
        for failure in failures:
            self.stdout.write(f"failure: {failure}")


def run_locust(port, plan, prefix, classes, users, spawn_rate, duration):
    """locust headless in its own process (its gevent never enters this one), stopped when the time is up."""
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary",
               "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", f"{duration}s",
               "--stop-timeout", "5", "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix),
               "--loglevel", "ERROR", *classes]
    environment = {**os.environ, "FUNDPORTAL_LOAD_PLAN": str(plan)}
    try:
        finished = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=duration + 120,
                                  check=False)
    except subprocess.TimeoutExpired as late:
        raise CommandError(f"locust did not stop in time:\n{late.stderr or ''}") from late
    if not Path(f"{prefix}_stats.csv").exists():
        raise CommandError(f"locust did not run:\n{finished.stderr[-3000:]}")


def read_stats(path):
    """Per request name (the aggregate last): the table's row."""
    with path.open(newline="") as stats:
        return [{"request": row["Name"] if row["Name"] != "Aggregated" else "all requests",
                 "requests": row["Request Count"], "failures": row["Failure Count"],
                 "req/s": f"{float(row['Requests/s']):.1f}", "median ms": row["50%"], "p95 ms": row["95%"],
                 "p99 ms": row["99%"]}
                for row in csv.DictReader(stats)]


def read_failures(path):
    if not path.exists():
        return []
    with path.open(newline="") as failures:
        return [f"{row['Method']} {row['Name']}: {row['Error']} ({row['Occurrences']}×)"
                for row in csv.DictReader(failures)]
