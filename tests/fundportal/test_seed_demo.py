"""The demo: four funders, a person for every role, and running it twice changes nothing."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from fundportal.demo import DEMO_PASSWORD
from fundportal.models import Funder, Membership, User
from fundportal.tenancy import scopes_disabled

pytestmark = pytest.mark.django_db


def snapshot():
    with scopes_disabled():
        return (Funder.objects.count(), User.objects.count(), Membership.objects.count())


def test_seed_demo_creates_the_four_funders_and_every_demo_account_and_is_idempotent():
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first

    assert set(Funder.objects.values_list("slug", flat=True)) == {
        "region-stockholm", "forskningsradet", "region-norrbotten", "stimulab",
    }
    for slug in ("region-stockholm", "forskningsradet", "region-norrbotten", "stimulab"):
        for local_part in ("admin", "screener", "panel1", "panel2", "panel3"):
            assert authenticate(email=f"{local_part}@{slug}.demo", password=DEMO_PASSWORD), f"{local_part}@{slug}.demo"
    assert authenticate(email="steering@stimulab.demo", password=DEMO_PASSWORD)
    for number in range(1, 7):
        assert authenticate(email=f"applicant{number}@applicants.demo", password=DEMO_PASSWORD)
    with scopes_disabled():
        assert Membership.objects.filter(user__email="panel2@forskningsradet.demo", role="panel_member").exists()
