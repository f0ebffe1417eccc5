"""The yearly report follows the fund up: counts, outcomes, money and splits, never naming an applicant."""

import io
import itertools
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from applications.lifecycle import State
from applications.models import ApplicantProfile
from fundportal.models import Role
from fundportal.tenancy import scopes_disabled
from review.models import Decision
from tests.factories import ApplicationFactory, CallFactory, UserFactory, staff

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")
NUMBERS = itertools.count(1)


def submitted(call, state, gender, sector, year=2026, amount=100_000, granted=None, title="Projekt"):
    applicant = UserFactory()
    ApplicantProfile.objects.create(user=applicant, gender=gender, sector=sector)
    application = ApplicationFactory(call=call, applicant=applicant, state=state, amount_requested=amount, title=title,
                                     submitted_at=datetime(year, 3, 15, 12, tzinfo=STOCKHOLM),
                                     case_number=f"RS-IF-{year}-{next(NUMBERS):04d}")
    if granted:
        with scopes_disabled():
            Decision.objects.create(funder=call.funder, application=application, outcome="granted", amount=granted,
                                    decided_by=applicant, released_at=application.submitted_at)
    return application


@pytest.fixture
def year_of_applications(funder, other_funder):
    call = CallFactory(fund__funder=funder, slug="innovationsfonden-2026", title={"en": "Innovation Fund 2026"})
    submitted(call, State.GRANTED, "woman", "Hälso- och sjukvård", amount=450_000, granted=400_000, title="Textilsvinn")
    submitted(call, State.GRANTED, "woman", "Hälso- och sjukvård", amount=300_000, granted=300_000, title="Robyn")
    submitted(call, State.DECLINED, "man", "Kollektivtrafik")
    submitted(call, State.IN_REVIEW, "woman", "")
    submitted(call, State.IN_REVIEW, "", "Kultur")
    submitted(call, State.GRANTED, "man", "Kultur", year=2025, granted=50_000, title="Förra året")
    ApplicationFactory(call=call, state=State.DRAFT)  # not submitted: not in the report
    submitted(CallFactory(fund__funder=other_funder), State.GRANTED, "woman", "Kultur", granted=1, title="Elsewhere")
    return call


def report(client, funder, **query):
    return client.get(reverse("applications:report", args=[funder.slug]), query).context["report"]


def test_the_report_counts_the_years_applications_outcomes_and_money(client, funder, year_of_applications):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    figures = report(client, funder, year=2026)
    assert (figures.received, figures.granted, figures.declined, figures.grant_rate) == (5, 2, 1, 40)
    assert (figures.applied_for, figures.granted_amount) == (1_050_000, 700_000)
    gender = {label: (received, granted) for label, received, granted in figures.splits[0].rows}
    assert gender == {"Woman": (3, 2), "Man": (1, 0), "Prefer not to say": (1, 0)}
    sectors = {label: received for label, received, _granted in figures.splits[1].rows}
    assert sectors == {"Hälso- och sjukvård": 2, "Kollektivtrafik": 1, "Kultur": 1, "Not given": 1}
    assert [application.title for application in figures.funded] == ["Textilsvinn", "Robyn"]
    page = client.get(reverse("applications:report", args=[funder.slug]), {"year": 2026}).content.decode()
    assert "Elsewhere" not in page and "Granted (40 %)" in page


def test_another_year_and_one_call_can_be_chosen(client, funder, year_of_applications):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    assert report(client, funder).year == 2026  # the newest year with applications
    last_year = report(client, funder, year=2025)
    assert (last_year.received, [a.title for a in last_year.funded]) == (1, ["Förra året"])
    other_call = CallFactory(fund__funder=funder, slug="stimulab")
    assert report(client, funder, year=2026, call=other_call.slug).received == 0
    page = client.get(reverse("applications:report", args=[funder.slug]), {"year": 2024}).content.decode()
    assert "No application was submitted in 2024." in page


def test_the_report_downloads_as_a_workbook(client, funder, year_of_applications):
    client.force_login(staff(funder, Role.STEERING_MEMBER))
    workbook = client.get(reverse("applications:report_export", args=[funder.slug, "xlsx"]), {"year": 2026}).content
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        sheets = archive.read("xl/workbook.xml").decode()
        strings = archive.read("xl/sharedStrings.xml").decode()
    assert "Funded projects" in sheets and "Main applicant's gender" in sheets
    assert "Textilsvinn" in strings and "Elsewhere" not in strings


@pytest.mark.parametrize(("role", "status"), [(Role.ADMINISTRATOR, 200), (Role.STEERING_MEMBER, 200),
                                              (Role.SCREENER, 403), (Role.PANEL_MEMBER, 403), (None, 404)])
def test_administrators_and_the_steering_group_read_the_report(client, funder, role, status):
    client.force_login(staff(funder, role) if role else UserFactory())
    assert client.get(reverse("applications:report", args=[funder.slug])).status_code == status
    assert client.get(reverse("applications:report_export", args=[funder.slug, "xlsx"])).status_code == status


def test_the_report_keeps_its_query_count(client, funder, django_assert_max_num_queries):
    call = CallFactory(fund__funder=funder)
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    submitted(call, State.GRANTED, "woman", "Vård", granted=1000)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("applications:report", args=[funder.slug]))
    for number in range(15):
        submitted(call, State.GRANTED, ["woman", "man", "other"][number % 3], f"Sektor {number}", granted=1000,
                  title=f"Projekt {number}")
    with django_assert_max_num_queries(20) as many:
        client.get(reverse("applications:report", args=[funder.slug]))
    assert len(many) == len(one)
