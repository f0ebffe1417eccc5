"""Fill the database with the four demo funders, their people and calls. Safe to run again."""

from django.core.management.base import BaseCommand
from django.db import transaction

from applications.demo import seed_applications
from applications.models import Application
from calls.demo import SEEDERS
from fundportal.demo import DEMO_PASSWORD, seed_funders, seed_people
from fundportal.models import User
from fundportal.tenancy import scope
from review.demo import seed_assessment_work


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
                    seed_applications(funder)
                    seed_assessment_work(funder)
        self.stdout.write(
            self.style.SUCCESS(f"Demo ready: {len(funders)} funders; every demo account's password is {DEMO_PASSWORD!r}.")
        )
