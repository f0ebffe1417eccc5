"""Releasing decisions — when they reach the applicants — waits until the decider has confirmed it is them."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from fundportal.models import Role
from fundportal.tenancy import scope
from review.decisions import decision_record
from review.models import Decision
from tests.factories import PASSWORD, staff
from tests.signing_in import signed_in_with_two_factors

pytestmark = pytest.mark.django_db


def test_releasing_asks_to_confirm_first_and_releases_nothing_until_then(funder, at_panel, settings):
    admin = staff(funder, Role.ADMINISTRATOR)
    with scope(funder=funder):
        decision_record(application=at_panel[0], by=admin, outcome="declined", reason="Outside the call's scope.")
    client = Client()
    client.force_login(admin)
    signed_in_with_two_factors(client, admin)
    ranking = reverse("review:ranking", args=[funder.slug, at_panel[0].call.slug])
    release = reverse("review:release", args=[funder.slug, at_panel[0].call.slug])
    confirm = f"{reverse('account_reauthenticate')}?{urlencode({'next': ranking})}"

    refused = client.post(release, HTTP_REFERER=f"http://testserver{ranking}")

    assert refused["Location"] == confirm
    with scope(funder=funder):
        assert not Decision.objects.filter(released_at__isnull=False).exists()
    assert client.post(confirm, {"password": PASSWORD})["Location"] == ranking
    client.post(release, HTTP_REFERER=f"http://testserver{ranking}")
    with scope(funder=funder):
        assert Decision.objects.get(application=at_panel[0]).released_at is not None

    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0  # some minutes later, the next release asks again
    assert client.post(release, HTTP_REFERER=f"http://testserver{ranking}")["Location"] == confirm
