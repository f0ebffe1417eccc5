"""The rush before a deadline, on PostgreSQL against gunicorn: are all submissions in time stored once, with unique
case numbers, and every late one refused with the deadline shown, fast enough?

    DATABASE_URL=postgres://…/fp_spike .venv/bin/python manage.py deadline_spike [--drafts 500] [--late 50]
        [--window 60] [--clients 100]

It makes a throwaway funder (review/benchmarking/spike.py) with a call whose period closes --window seconds (and a
moment to get going) after the server is ready, and --drafts + --late applicants each with a complete draft,
signed in. --clients threads press "Submit" on the drafts spread evenly over the window (the last one a second
before the deadline), then on the late ones in the 3 seconds after it, each against gunicorn (2 sync workers,
DJANGO_DEBUG=false, loopback). Then it counts what the database kept, prints each check and the latency of a
submission, and removes the funder, its applicants and their files. It fails (exit status 1) when the portal got
one wrong; the latency target (p99 under 1 s) is a figure of the machine too, printed beside the verdict.
"""

import os
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from review.benchmarking import load, spike
from review.benchmarking.pages import signed_in
from review.benchmarking.serving import gunicorn_on_this_database

MOMENT_TO_GET_GOING = 2  # seconds from moving the deadline to the first submission
MAX_WINDOW = 600


class Command(BaseCommand):
    help = "Submit complete drafts at once before a deadline and after it, against gunicorn on PostgreSQL; check them."

    def add_arguments(self, parser):
        parser.add_argument("--drafts", type=int, default=500, help="complete drafts submitted before the deadline")
        parser.add_argument("--late", type=int, default=50, help="drafts submitted just after the deadline")
        parser.add_argument("--window", type=int, default=60,
                            help=f"seconds before the deadline the drafts are spread over (at most {MAX_WINDOW})")
        parser.add_argument("--clients", type=int, default=100, help="clients submitting at once, each a thread")

    def handle(self, *args, drafts, late, window, clients, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The deadline spike needs PostgreSQL (its row locks are what it tests): set "
                               "DATABASE_URL=postgres://… to a database of your own, e.g. fp_spike.")
        if drafts < 1 or late < 0 or clients < 1 or not 2 <= window <= MAX_WINDOW:
            raise CommandError(f"--drafts and --clients must be at least 1, --late at least 0, --window between 2 "
                               f"and {MAX_WINDOW} seconds.")
        self.stdout.write(f"deadline_spike, {timezone.now():%Y-%m-%d %H:%M} UTC\n"
                          f"machine: {os.cpu_count()} cores, PostgreSQL {connection.settings_dict['NAME']}; gunicorn, "
                          f"{load.WORKERS} sync workers, DJANGO_DEBUG=false, loopback")
        started = time.perf_counter()
        world = spike.build(drafts, late)
        try:
            findings, deadline = self.rush(world, window, clients, started)
        finally:
            spike.remove()
        self.report(findings, drafts, late, window, clients, deadline)
        if not findings.passed:
            raise CommandError(f"The deadline spike failed: {'; '.join(findings.failures)}.")

    def rush(self, world, window, clients, started):
        with signed_in([draft.applicant for draft in world.on_time + world.late]) as cookies:
            with gunicorn_on_this_database() as server:
                self.stdout.write(f"ready: {len(world.on_time) + len(world.late)} complete drafts, their applicants "
                                  f"signed in, the server answering, in {time.perf_counter() - started:.0f} s")
                warm_up(server, world, cookies)
                deadline = timezone.now() + timedelta(seconds=window + MOMENT_TO_GET_GOING)
                spike.open_until(world.period, deadline)
                answers = spike.fire(server.port, spike.plan(world, cookies, deadline, window), clients)
        return spike.examine(world, answers, deadline), deadline

    def report(self, findings, drafts, late, window, clients, deadline):
        ok = {True: "ok", False: "FAILED"}
        numbers = findings.case_numbers
        span = f"{numbers[0]} to {numbers[-1]}" if numbers else "none"
        latency = findings.latency
        self.stdout.write(
            f"plan: {drafts} complete drafts submitted by {clients} concurrent clients over the {window} s before "
            f"the deadline ({deadline:%H:%M:%S} UTC), {late} more in the {spike.LATE_SPREAD:.0f} s after it\n"
            f"before the deadline: {findings.sent_in_time} sent, {findings.stored_once} stored exactly once, "
            f"{findings.refused_in_time} refused, {findings.sent_late_by_client} sent too late by the client — "
            f"{ok[findings.stored_once == findings.sent_in_time]}\n"
            f"case numbers: {len(numbers)} given, {len(set(numbers))} unique, {span}, "
            f"{'without' if findings.numbers_without_gap else 'with'} a gap — "
            f"{ok[findings.numbers_unique and findings.numbers_without_gap]}\n"
            f"after the deadline: {findings.sent_late} sent, {findings.refused_late_with_deadline} refused with the "
            f"deadline shown (“{findings.deadline_text}”), {findings.stored_late} stored — "
            f"{ok[findings.refused_late_with_deadline == findings.sent_late and not findings.stored_late]}\n"
            f"server errors or unexpected answers: {findings.server_errors + len(findings.other_answers)}"
            f"{' ' + str(findings.other_answers) if findings.other_answers else ''} — "
            f"{ok[not findings.server_errors and not findings.other_answers]}\n"
            f"latency of a submission: p50 {latency['p50']:.0f} ms, p95 {latency['p95']:.0f} ms, "
            f"p99 {latency['p99']:.0f} ms, max {latency['max']:.0f} ms; {findings.rate:.1f} submissions/s — "
            f"{'ok' if findings.fast_enough else 'missed'} (the target: p99 under 1 s)\n"
            f"verdict: {'PASS' if findings.passed else 'FAIL: ' + '; '.join(findings.failures)}; "
            f"p99 under 1 s: {'yes' if findings.fast_enough else 'no'}")


def warm_up(server, world, cookies):
    """Each worker renders an application's PDF once (what a receipt needs) before the clock starts."""
    draft = (world.late or world.on_time)[-1]
    path = reverse("applications:pdf", args=[world.funder.slug, draft.pk])
    for _request in range(2 * load.WORKERS):
        server.get(path, cookies[draft.applicant])
