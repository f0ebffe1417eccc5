"""How long rendering and sending N decision letters takes (default 1,000).

    # with a broker and two worker processes:
    celery -A fundportal worker --concurrency=2 &
    .venv/bin/python manage.py benchmark_letters --count 1000

Creates a throw-away funder "benchmark-letters" (removed first if it exists), N granted
applications with decisions, releases them (what the administrator's request does), waits
while the workers render each PDF letter into a draft email, then sends every draft and
waits until the workers report them sent.
Without a broker the sending runs in-process. Prints the figures; passes or fails nothing.
"""

import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from applications.lifecycle import State
from applications.models import Application, ApplicationTransition
from calls.models import Call, Fund, Stage
from fundportal.models import Funder, OutboxEmail, Role, User
from fundportal.outbox import outbox_send
from fundportal.services import membership_grant
from fundportal.tenancy import scope, scopes_disabled
from review.decisions import decisions_release
from review.models import Decision

SLUG = "benchmark-letters"


class Command(BaseCommand):
    help = "Time rendering and sending N decision letters."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--timeout", type=int, default=1800, help="seconds to wait for the workers")

    def handle(self, *args, count, timeout, **options):
        remove(Funder.objects.filter(slug=SLUG).first())
        funder = Funder.objects.create(name="Benchmark", slug=SLUG, short_name="BM", currency="SEK")
        admin, _created = User.objects.get_or_create(email="benchmark-admin@example.invalid")
        applicant, _created = User.objects.get_or_create(email="benchmark-applicant@example.invalid")
        with scope(funder=funder):
            membership_grant(funder=funder, user=admin, role=Role.ADMINISTRATOR)
            call = self.prepare(funder, admin, applicant, count)
            started = time.perf_counter()
            with transaction.atomic():
                decisions_release(call=call, by=admin)
            released = time.perf_counter() - started
            self.stdout.write(f"released {count} decisions (the request's part): {released:.1f} s")
            wait_while(OutboxEmail.objects.filter(status=OutboxEmail.Status.PREPARING), timeout)
            rendered = time.perf_counter() - started
            self.stdout.write(f"rendered {count} letters into draft emails: {rendered:.1f} s "
                              f"({rendered / count * 1000:.0f} ms each overall)")
            started = time.perf_counter()
            outbox_send(emails=list(OutboxEmail.objects.filter(status=OutboxEmail.Status.DRAFT)))
            wait_while(OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT), timeout)
            sent_seconds = time.perf_counter() - started
            sent = OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT).count()
            self.stdout.write(f"sent {sent} of {count} emails with their PDF: {sent_seconds:.1f} s")
        remove(funder)

    def prepare(self, funder, admin, applicant, count):
        fund = Fund.objects.create(funder=funder, name="Benchmark fund", code="B")
        call = Call.objects.create(funder=funder, fund=fund, slug="benchmark", title={"en": "Benchmark call"},
                                   budget=10**12, currency="SEK", application_types=["new"], published_at=timezone.now())
        stage = Stage.objects.create(funder=funder, call=call, position=0, kind=Stage.Kind.DECISION, name="Decision")
        applications = Application.objects.bulk_create(
            Application(funder=funder, call=call, applicant=applicant, title=f"Project {n}", state=State.IN_REVIEW,
                        current_stage=stage, case_number=f"BM-B-2026-{n:04d}", amount_requested=100000)
            for n in range(count))
        Decision.objects.bulk_create(
            Decision(funder=funder, application=application, outcome="granted", amount=100000, decided_by=admin,
                     reason="Benchmark") for application in applications)
        return call


def wait_while(emails, timeout):
    deadline = time.monotonic() + timeout
    while emails.exists() and time.monotonic() < deadline:
        time.sleep(0.5)


def remove(funder):
    """Delete the benchmark funder and everything it owns, leaves first (applications protect their call)."""
    if funder is None:
        return
    with scopes_disabled():
        ApplicationTransition.objects.filter(funder=funder).delete()
        Application.objects.filter(funder=funder).delete()
        Call.objects.filter(funder=funder).delete()
        Fund.objects.filter(funder=funder).delete()
        funder.delete()
