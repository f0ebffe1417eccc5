"""Fill the database with the four demo funders, their people and calls. Safe to run again."""

from django.core.management.base import BaseCommand
from django.db import transaction

from fundportal.demo import DEMO_PASSWORD, seed_funders, seed_people


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo funders, accounts and calls."

    @transaction.atomic
    def handle(self, *args, **options):
        funders = seed_funders()
        seed_people(funders)
        self.stdout.write(
            self.style.SUCCESS(f"Demo ready: {len(funders)} funders; every demo account's password is {DEMO_PASSWORD!r}.")
        )
