"""The demo: four funders, a person for every role with work waiting on first login, and running it twice changes
nothing."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from fundportal.demo import DEMO_PASSWORD
from fundportal.models import Funder, Membership, User
from fundportal.tenancy import scopes_disabled
from review.models import Review

pytestmark = pytest.mark.django_db


def snapshot():
    from applications.models import Application
    from review.models import Assignment, Decision, Review

    with scopes_disabled():
        return [model.objects.count() for model in (Funder, User, Membership, Application, Assignment, Review, Decision)]


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


class Links(HTMLParser):
    """The links of a page, as (address, text)."""

    def __init__(self, page):
        super().__init__()
        self.links, self._href = [], None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), ""

    def handle_data(self, data):
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join(self._text.split())))
            self._href = None


def waiting_for(client, email, funder_slug):
    """What the person's dashboard says waits for them: {link: the largest number a text linking there starts with}."""
    client.force_login(User.objects.get(email=email))
    page = client.get(f"/{funder_slug}/dashboard/").content.decode()
    section = page.split('id="work-heading"', 1)[1].split("</section>", 1)[0]
    waiting = {}
    for href, text in Links(section).links:
        waiting[href] = max(waiting.get(href, 0), int(re.match(r"\d+", text).group()))
    return waiting


FUNDERS = ("region-stockholm", "forskningsradet", "region-norrbotten", "stimulab")


def test_on_first_login_every_demo_account_finds_work_waiting_on_its_dashboard(client):
    call_command("seed_demo", verbosity=0)
    for slug in FUNDERS:
        assert waiting_for(client, f"screener@{slug}.demo", slug)[f"/{slug}/screening/"] >= 4, slug
        for number in (1, 2, 3):
            email = f"panel{number}@{slug}.demo"
            assert waiting_for(client, email, slug)[f"/{slug}/reviews/"] >= 2, email
            reviews = client.get(f"/{slug}/reviews/").content.decode()
            assert "declare impartiality first" in reviews, email
            with scopes_disabled():
                assert Review.objects.filter(assignment__reviewer__email=email, assignment__funder__slug=slug,
                                             submitted_at__isnull=True).exists(), f"{email} has no review in draft"
    ranking = "/stimulab/manage/calls/stimulab-ny-runde/ranking/"
    assert waiting_for(client, "steering@stimulab.demo", "stimulab")[ranking] >= 4
    page = client.get(ranking).content.decode()
    assert "Sømløse tjenester for personer med demens" in page and "Én inngang for næringsdrivende" in page
    assert page.count(">Decide<") >= 4  # the dialogue's applications, each waiting for the steering group


def test_innovationsfonden_has_its_2022_round_and_a_ranking_of_realistic_size_waiting_for_decisions(client):
    call_command("seed_demo", verbosity=0)
    ranking = "/region-stockholm/manage/calls/innovationsfonden-2027/ranking/"
    assert waiting_for(client, "admin@region-stockholm.demo", "region-stockholm")[ranking] >= 50
    assert client.get(ranking).content.decode().count(">Decide<") >= 50

    report = client.get("/region-stockholm/manage/report/?year=2022").context["report"]
    assert (report.received, report.granted, report.declined) == (112, 66, 46)
    assert report.granted_amount <= 15_000_000  # the fund's money for a year
    genders, sectors = ({label: received for label, received, _granted in split.rows} for split in report.splits[:2])
    assert genders == {"Woman": 76, "Man": 36}
    assert 100 - round(100 * sectors["Hälso- och sjukvård"] / 112) == 11  # per cent from outside health care


@pytest.mark.django_db(transaction=True)
def test_the_letter_benchmark_runs_and_prints_its_figures(mailoutbox_to_db):
    from io import StringIO

    output = StringIO()
    call_command("benchmark_letters", count=3, timeout=60, stdout=output)
    assert "rendered 3 letters" in output.getvalue() and "sent 3 of 3 emails" in output.getvalue()
    assert not Funder.objects.filter(slug="benchmark-letters").exists()  # it cleans up after itself
