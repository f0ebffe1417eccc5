"""How fast the key pages are on the data in the database, against the framework's floor.

    .venv/bin/python manage.py benchmark_pages [--repeat 20] [--concurrency 1] [--pages ranking assignments]
    .venv/bin/python manage.py benchmark_pages --in-process --repeat 1   # no server: Django's test client
    .venv/bin/python manage.py benchmark_pages --concurrency 16 --save 5000.json --against 1000.json 100000.json

For each key page (review/benchmarking/pages.py picks the call, the people and the objects from the data) it
prints the queries and the HTML size of one request, then the median and p95 of --repeat requests from each of
--concurrency clients against gunicorn (2 sync workers, DJANGO_DEBUG=false, on a free loopback port, stopped at the
end), and the same for the framework's floor at the page's size (review/benchmarking/floor.py): a bare Django view
rendering a template of that many bytes.

Then each page's verdict on issue 12's targets (review/benchmarking/targets.py), PASS or MISS: its queries and HTML
size constant as applications grow (over this run and the runs ``--against`` names, each saved by ``--save`` on other
data), its median within 3 times the floor's, and its p95 under 150 ms with 16 clients (a run with ``--concurrency
16``; with fewer clients the p95 target is not measured). Verdicts, not tests: timings vary with the machine's load.
"""

import json
import os
import platform
from contextlib import contextmanager

import django
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from applications.models import Application
from fundportal.tenancy import scopes_disabled
from review.benchmarking import load, targets
from review.benchmarking.floor import floor_path
from review.benchmarking.pages import PAGE_KEYS, key_pages, pick_subjects, signed_in

COLUMNS = ("page", "status", "queries", "HTML KB", "median ms", "p95 ms", "floor median ms", "ratio to floor")


class Command(BaseCommand):
    help = "Time the key pages against gunicorn and the framework's floor, with their queries and HTML size."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20, help="requests per page from each client")
        parser.add_argument("--concurrency", type=int, default=1, help="clients asking at once, each in a thread")
        parser.add_argument("--pages", nargs="+", metavar="PAGE", help=f"only these: {', '.join(PAGE_KEYS)}")
        parser.add_argument("--in-process", action="store_true",
                            help="time with Django's test client in this process instead of gunicorn")
        parser.add_argument("--save", metavar="JSON", help="keep this run's figures in this file, to compare with later")
        parser.add_argument("--against", nargs="+", metavar="JSON", default=[],
                            help="earlier runs (saved with --save, on other data) to judge the constant sizes with")

    def handle(self, *args, repeat, concurrency, pages, in_process, save, against, **options):
        if repeat < 1 or concurrency < 1:
            raise CommandError("--repeat and --concurrency must be at least 1.")
        if in_process and concurrency > 1:
            raise CommandError("--concurrency needs the server: leave out --in-process.")
        keys = chosen_keys(pages)
        earlier = earlier_runs(against)
        subjects = pick_subjects()
        if subjects is None:
            raise CommandError("No call with a fund administrator: seed data first (seed_demo or seed_scale).")
        chosen = [page for page in key_pages(subjects) if page.key in keys]
        self.describe(subjects, repeat, concurrency, in_process)
        with signed_in({page.user for page in chosen if page.user}) as cookies:
            with benchmark_urls():
                inspections = {page.key: load.inspect(page.path, cookies.get(page.user)) for page in chosen}
            columns = columns_of(concurrency)
            self.header(columns)
            measured = []
            with serving(in_process) as client:
                for page in chosen:  # each row as soon as it is measured: a long run shows how far it has come
                    row, figures = self.measure(client, page, inspections[page.key], cookies.get(page.user), repeat,
                                                concurrency)
                    self.line(columns, row)
                    measured.append((row, figures))
        run = targets.Run(applications=self.applications, in_call=self.in_call, concurrency=concurrency,
                          pages={row["page"]: figures for row, figures in measured})
        self.verdicts(run, earlier)
        if save:
            with open(save, "w", encoding="utf-8") as file:
                json.dump(targets.run_record(run), file, indent=1)
            self.stdout.write(f"\nsaved: {save}")

    def measure(self, client, page, inspection, cookie, repeat, concurrency):
        """The page's row of the table, and its figures for the targets."""
        page_latency = load.latency(client, page.path, cookie, repeat, concurrency)
        floor = load.latency(client, floor_path(inspection.size), None, repeat, concurrency)
        statuses = "/".join(str(code) for code in sorted(page_latency.statuses | {inspection.status}))
        row = {"page": page.key, "status": statuses, "queries": inspection.queries,
               "HTML KB": f"{inspection.size / 1024:.1f}", "median ms": f"{page_latency.median:.1f}",
               "p95 ms": f"{page_latency.p95:.1f}", "floor median ms": f"{floor.median:.1f}",
               "ratio to floor": f"{page_latency.median / floor.median:.1f}",
               "req/s": f"{page_latency.rate:.1f}", "floor req/s": f"{floor.rate:.1f}"}
        return row, targets.Figures(queries=inspection.queries, size=inspection.size, median=page_latency.median,
                                    p95=page_latency.p95, floor_median=floor.median)

    def describe(self, subjects, repeat, concurrency, in_process):
        with scopes_disabled():
            self.applications = applications = Application.objects.count()
            self.in_call = in_call = Application.objects.filter(call=subjects.call).count()
        server = "Django's test client in this process" if in_process else (
            f"gunicorn, {load.WORKERS} sync workers, DJANGO_DEBUG=false, loopback")
        self.stdout.write(
            f"benchmark_pages, {timezone.now():%Y-%m-%d %H:%M} UTC\n"
            f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, Django {django.get_version()}, "
            f"{connection.vendor} {connection.settings_dict['NAME']}\n"
            f"data: {applications:,} applications; the biggest call {subjects.call.funder.slug}/{subjects.call.slug} "
            f"has {in_call:,}\n"
            f"as: {people(subjects)}\n"
            f"timing: {server}; {concurrency} client(s) x {repeat} request(s) per page and per floor\n")

    def header(self, columns):
        self.stdout.write("| " + " | ".join(columns) + " |")
        self.stdout.write("|" + "|".join("---" for _column in columns) + "|")

    def line(self, columns, row):
        self.stdout.write("| " + " | ".join(str(row[column]) for column in columns) + " |")
        self.stdout.flush()

    def verdicts(self, run, earlier):
        self.stdout.write("\nfloor: a bare Django view rendering a template of the page's HTML size, behind the same "
                          "middleware, with no query; ratio = median / floor median.\n")
        rows, runs = targets.target_rows(run, earlier)
        self.stdout.write(
            f"targets (issue 12): queries and HTML size constant as applications grow (HTML within "
            f"{targets.SIZE_TOLERANCE:.0%}; by size: {targets.sizes_line(runs)}), within {targets.FLOOR_RATIO:g} times "
            f"the floor, p95 under {targets.P95_MS:g} ms with {targets.CLIENTS} clients "
            f"({targets.UNMEASURED}: not measured by this run)\n")
        self.header(list(rows[0]))
        for row in rows:
            self.line(list(rows[0]), row)
        missed = sum(value == targets.MISS for row in rows for value in row.values())
        self.stdout.write(f"\n{missed} target(s) missed." if missed else "\nEvery measured target met.")


def columns_of(concurrency):
    return COLUMNS + (("req/s", "floor req/s") if concurrency > 1 else ())


def earlier_runs(paths):
    """The runs saved in ``paths``; refused when one cannot be read."""
    runs = []
    for path in paths:
        try:
            runs.append(targets.read_run(path))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CommandError(f"Cannot read the run in {path}: {error}") from error
    return runs


def people(subjects):
    who = [f"administrator {subjects.administrator.email}"]
    if subjects.assignment:
        who.append(f"panel member {subjects.assignment.reviewer.email}")
    if subjects.draft:
        who.append(f"applicant {subjects.draft.applicant.email}")
    return ", ".join(who)


def chosen_keys(names):
    """The pages named by --pages (separated by spaces or commas), or every page."""
    if not names:
        return set(PAGE_KEYS)
    keys = {key for name in names for key in name.split(",") if key}
    if unknown := keys - set(PAGE_KEYS):
        raise CommandError(f"No such page: {', '.join(sorted(unknown))}. The pages: {', '.join(PAGE_KEYS)}.")
    return keys


def benchmark_urls():
    """The portal's URLs with the floor's beside them, for requests in this process."""
    return override_settings(ROOT_URLCONF="review.benchmarking.urls")


@contextmanager
def serving(in_process):
    """The client that times requests: gunicorn's for the figures, the test client's for a quick look."""
    if in_process:
        with benchmark_urls():
            yield load.InProcess()
    else:
        with load.gunicorn() as server:
            yield server
