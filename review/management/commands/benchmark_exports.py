"""How long each export takes and how much memory its process needs, at two sizes, to show the memory is flat.

    .venv/bin/python manage.py benchmark_exports                      # the biggest call's funder, 1,000 rows and all
    .venv/bin/python manage.py benchmark_exports --sizes 1000 10000 0 --kinds review.ranking:xlsx

Each run is one export job (``fundportal.export_jobs``) of one kind and format written by the job's own code in a
process of its own — a child of this command, on the same database, eager — so the peak resident memory this command
reads for it (``os.wait4``) is that export's alone. A size caps the rows of the counted sheet (0: every row); the
ranking's workbook writes each application's reviews on its second sheet as well. Writes ExportJob rows and their
files and removes them afterwards: run it on a copy (``createdb -T fp_scale fp_exports``, then ``migrate``).
Passes or fails nothing.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import replace

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Count
from django.utils import timezone

from applications.lifecycle import State
from applications.models import Application
from calls.models import Call
from fundportal.celery import app as celery_app
from fundportal.export_jobs import KINDS, export_job_start
from fundportal.exports import Table
from fundportal.models import ExportJob, Membership, Role
from fundportal.tenancy import scope, scopes_disabled

RUNS = ("review.queue:csv", "review.queue:xlsx", "review.ranking:csv", "review.ranking:xlsx", "applications.report:xlsx")


class Command(BaseCommand):
    help = "Time each export and measure its process's peak memory at two sizes."

    def add_arguments(self, parser):
        parser.add_argument("--kinds", nargs="+", default=list(RUNS), help="kind:extension, e.g. review.ranking:xlsx")
        parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 0], help="rows (0: all)")
        parser.add_argument("--call", default="", help="the call's slug (default: the one with most applications)")
        parser.add_argument("--run", default="", help=argparse.SUPPRESS)  # one run, in the child process

    def handle(self, *args, kinds, sizes, call, run, **options):
        if run:
            return self.run_one(run)
        with scopes_disabled():
            biggest = (Call.objects.filter(slug=call) if call else Call.objects.all()).annotate(
                n=Count("applications")).order_by("-n").select_related("funder").first()
        self.stdout.write(f"{biggest.funder.slug} / {biggest.slug}: {biggest.n} applications; "
                          f"database {settings.DATABASES['default']['NAME']}")
        self.stdout.write(f"{'export':<26}{'rows':>9}{'total':>9}{'seconds':>9}{'file MB':>9}{'peak RSS MB':>13}")
        for kind_and_extension in kinds:
            for size in sizes:
                figures = self.child(f"{biggest.funder.pk}:{biggest.slug}:{kind_and_extension}:{size}")
                self.stdout.write(f"{kind_and_extension:<26}{figures['rows']:>9}{figures['total']:>9}"
                                  f"{figures['seconds']:>9.1f}{figures['bytes'] / 1e6:>9.1f}{figures['rss_mb']:>13.0f}")

    def child(self, run):
        process = subprocess.Popen([sys.executable, "manage.py", "benchmark_exports", "--run", run],
                                   cwd=settings.BASE_DIR, stdout=subprocess.PIPE, text=True)
        output = process.stdout.read()
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise SystemExit(f"the export {run} failed")
        return {**json.loads(output.strip().splitlines()[-1]), "rss_mb": usage.ru_maxrss / 1024}

    def run_one(self, run):
        funder_id, call_slug, kind_name, extension, size = run.split(":")
        with scopes_disabled():
            administrator = Membership.objects.filter(funder_id=funder_id, role=Role.ADMINISTRATOR).select_related(
                "user", "funder").first()
        funder = administrator.funder
        KINDS[kind_name] = replace(KINDS[kind_name], table=capped(KINDS[kind_name].table, int(size)))
        celery_app.conf.task_always_eager = True  # written here, in this process
        with scope(funder=funder):
            subject = {"review.ranking": call_slug, "applications.report": str(most_granted_year())}.get(kind_name, "")
            started = time.perf_counter()
            job = export_job_start(user=administrator.user, funder=funder, kind=kind_name, extension=extension,
                                   query="", subject=subject)
            seconds = time.perf_counter() - started
            job.refresh_from_db()
            assert job.is_done, job.error
            figures = {"rows": job.rows_done, "total": job.rows_total, "seconds": seconds, "bytes": job.file.size}
            job.file.delete(save=False)
            ExportJob.objects.filter(pk=job.pk).delete()
        self.stdout.write(json.dumps(figures))


def most_granted_year():
    """The year whose yearly report lists the most funded projects."""
    years = (Application.objects.filter(state=State.GRANTED, submitted_at__isnull=False).values("submitted_at__year")
             .annotate(n=Count("pk")).order_by("-n"))
    return years[0]["submitted_at__year"] if years else timezone.localdate().year


def capped(table_of, size):
    """The kind's table with at most ``size`` rows of its counted sheet (0: all), the other sheets' rows beside them."""
    if not size:
        return table_of

    def table(**arguments):
        whole = table_of(**arguments)
        return Table(filename=whole.filename, sheets=whole.sheets, total=min(size, whole.total),
                     counted=whole.counted, rows=_first(whole.rows, whole.counted, size))

    return table


def _first(rows, counted, size):
    done = 0
    for sheet, cells in rows:
        if sheet == counted:
            if done == size:
                return
            done += 1
        yield sheet, cells
