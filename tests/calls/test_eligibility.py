"""Before the form, an applicant learns whether they may apply, and why not."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from calls.models import Call, EligibilityQuestion
from fundportal.tenancy import scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def innovationsfonden(db):
    call_command("seed_demo", verbosity=0)
    from fundportal.models import Funder

    funder = Funder.objects.get(slug="region-stockholm")
    with scope(funder=funder):
        call = Call.objects.get(slug="innovationsfonden-2024")
        question = EligibilityQuestion.objects.get(call=call)
    return funder, call, question


def test_someone_working_half_time_in_the_region_may_apply(client, innovationsfonden):
    funder, call, question = innovationsfonden
    response = client.post(reverse("calls:eligibility", args=[funder.slug, call.slug]), {f"e{question.pk}": "yes"})
    assert "You may apply" in response.content.decode()


def test_someone_outside_the_region_is_told_why_they_cannot_apply(client, innovationsfonden):
    funder, call, question = innovationsfonden
    response = client.post(reverse("calls:eligibility", args=[funder.slug, call.slug]), {f"e{question.pk}": "no"})
    page = response.content.decode()
    assert "You cannot apply to this call" in page
    assert "minst halvtid inom Region Stockholm" in page


def test_an_unanswered_question_is_asked_again(client, innovationsfonden):
    funder, call, question = innovationsfonden
    response = client.post(reverse("calls:eligibility", args=[funder.slug, call.slug]), {})
    assert "This field is required." in response.content.decode()
    assert "You may apply" not in response.content.decode()


def test_the_call_page_links_to_the_check(client, innovationsfonden):
    funder, call, _question = innovationsfonden
    page = client.get(reverse("calls:call_detail", args=[funder.slug, call.slug])).content.decode()
    assert reverse("calls:eligibility", args=[funder.slug, call.slug]) in page
