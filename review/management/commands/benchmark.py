"""Print how fast the main pages and the application PDF are on this machine (run after seed_demo).

    .venv/bin/python manage.py benchmark [--repeat 20]

Figures, not pass/fail: compare them between commits. Query counts are held flat by the tests.
"""

import statistics
import time

from django.core.management.base import BaseCommand
from django.test import Client

from applications.models import Application
from applications.pdf import application_pdf
from fundportal.models import User
from fundportal.tenancy import scope, scopes_disabled


class Command(BaseCommand):
    help = "Time the main pages and the PDF rendering against the demo data."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20)

    def measure(self, label, action, repeat):
        timings = []
        action()  # warm up: templates, translations, connection
        for _attempt in range(repeat):
            start = time.perf_counter()
            action()
            timings.append((time.perf_counter() - start) * 1000)
        self.stdout.write(f"{label:<48} median {statistics.median(timings):7.1f} ms   "
                          f"p90 {sorted(timings)[int(len(timings) * 0.9) - 1]:7.1f} ms")

    def handle(self, *args, repeat, **options):
        with scopes_disabled():
            application = Application.objects.filter(funder__slug="region-norrbotten").exclude(case_number="").first()
        if application is None:
            self.stderr.write("Run `manage.py seed_demo` first.")
            return
        admin, visitor = Client(), Client()
        admin.force_login(User.objects.get(email="admin@region-stockholm.demo"))
        applicant = Client()
        applicant.force_login(application.applicant)
        pages = [
            ("public: all open calls", visitor, "/calls/"),
            ("public: a funder's calls", visitor, "/region-stockholm/"),
            ("public: a call page", visitor, "/region-stockholm/calls/innovationsfonden-2024/"),
            ("public: deadlines .ics", visitor, "/forskningsradet/deadlines.ics"),
            ("administrator: calls dashboard", admin, "/region-stockholm/manage/calls/"),
            ("administrator: form preview", admin, "/region-stockholm/manage/calls/innovationsfonden-2024/form/preview/"),
            ("administrator: screening queue", admin, "/region-stockholm/screening/"),
            ("administrator: yearly report", admin, "/region-stockholm/manage/report/"),
            ("administrator: people", admin, "/region-stockholm/manage/people/"),
            ("administrator: outbox", admin, "/region-stockholm/manage/outbox/"),
            ("applicant: my applications", applicant, "/my/applications/"),
            ("applicant: application overview", applicant, f"/region-norrbotten/applications/{application.pk}/"),
        ]
        for label, client, path in pages:
            self.measure(label, lambda client=client, path=path: client.get(path), repeat)
        with scope(funder=application.funder):
            self.measure("PDF of the Norrbotten application (WeasyPrint)",
                         lambda: application_pdf(application, application.answers), max(3, repeat // 4))
