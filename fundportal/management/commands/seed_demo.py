"""Fill the database with the four demo funders, their people and calls. Safe to run again."""

from django.core.management.base import BaseCommand
from django.db import transaction

from applications.demo import seed_applications
from calls.demo import SEEDERS
from fundportal.demo import DEMO_PASSWORD, seed_funders, seed_people
from fundportal.models import User
from fundportal.tenancy import scope


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo funders, accounts and calls."

    @transaction.atomic
    def handle(self, *args, **options):
        funders = seed_funders()
        seed_people(funders)
        for funder in funders:
            with scope(funder=funder):
                SEEDERS[funder.slug](funder, User.objects.get(email=f"admin@{funder.slug}.demo"))
                seed_applications(funder)
        self.stdout.write(
            self.style.SUCCESS(f"Demo ready: {len(funders)} funders; every demo account's password is {DEMO_PASSWORD!r}.")
        )
