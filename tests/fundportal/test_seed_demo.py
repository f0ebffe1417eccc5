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


def test_seed_demo_has_applications_in_every_state_for_every_funder():
    from applications.lifecycle import State
    from applications.models import Application

    call_command("seed_demo", verbosity=0)
    with scopes_disabled():
        states = set(Application.objects.values_list("state", flat=True))
        per_funder = {slug: Application.objects.filter(funder__slug=slug).count()
                      for slug in ("region-stockholm", "forskningsradet", "region-norrbotten", "stimulab")}
    assert states == set(State.values)
    assert all(count >= 3 for count in per_funder.values()), per_funder


def test_the_norrbotten_application_shows_ten_financiers_totalling_20_718_995_kr(client):
    from applications.models import Application

    call_command("seed_demo", verbosity=0)
    with scopes_disabled():
        application = Application.objects.get(title__startswith="Stöd och organisation för innovation")
    assert application.amount_requested == 1245497
    client.force_login(application.applicant)
    client.cookies["django_language"] = "sv"
    page = client.get(f"/region-norrbotten/applications/{application.pk}/").content.decode()
    assert "20\xa0718\xa0995\xa0kr" in page and "1\xa0245\xa0497\xa0kr" in page
    assert page.count("<th scope=\"row\">") >= 11  # ten financiers and the total


@pytest.mark.django_db(transaction=True)
def test_the_letter_benchmark_runs_and_prints_its_figures(mailoutbox_to_db):
    from io import StringIO

    output = StringIO()
    call_command("benchmark_letters", count=3, timeout=60, stdout=output)
    assert "rendered 3 letters" in output.getvalue() and "sent 3 of 3 emails" in output.getvalue()
    assert not Funder.objects.filter(slug="benchmark-letters").exists()  # it cleans up after itself
