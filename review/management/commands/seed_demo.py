"""Fill the database with the four demo funders, their people and calls. Safe to run again.

It lives in review, the top layer, because it seeds every app: the core's funders and staff, the calls, the
applications and how far each goes in the assessment.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from applications.demo import seed_applications, seed_people
from applications.models import Application
from calls.demo import SEEDERS
from fundportal.demo import DEMO_PASSWORD, seed_funders
from fundportal.models import User
from fundportal.tenancy import scope
from review.demo import assess_demo_application, seed_assessment_work


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo funders, accounts and calls."

    @transaction.atomic
    def handle(self, *args, **options):
        funders = seed_funders()
        seed_people(funders)
        for funder in funders:
            with scope(funder=funder):
                SEEDERS[funder.slug](funder, User.objects.get(email=f"admin@{funder.slug}.demo"))
                if not Application.objects.exists():  # a funder's applications are written once
                    seed_applications(funder, assess=assess_demo_application)
                    seed_assessment_work(funder)
        self.stdout.write(
            self.style.SUCCESS(f"Demo ready: {len(funders)} funders; every demo account's password is {DEMO_PASSWORD!r}.")
        )
