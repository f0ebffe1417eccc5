"""The applicant learns the decision from the letter: not at the release, but when the letter is sent."""

import pytest
from django.urls import reverse

from fundportal.models import OutboxEmail, Role
from fundportal.tenancy import scope
from review.decisions import decision_record, decisions_release
from tests.factories import staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_released_decision_stays_unknown_to_the_applicant_until_its_letter_is_sent(client, funder, at_panel, mailoutbox_to_db):
    textilsvinn = at_panel[0]
    admin = staff(funder, Role.ADMINISTRATOR)
    with scope(funder=funder):
        decision_record(application=textilsvinn, by=admin, outcome="granted", amount=400_000)
        decisions_release(call=textilsvinn.call, by=admin)
        assert OutboxEmail.objects.get(kind="decision").status == OutboxEmail.Status.DRAFT
    client.force_login(textilsvinn.applicant)
    detail = reverse("applications:detail", args=[funder.slug, textilsvinn.pk])
    letter = reverse("applications:decision_letter", args=[funder.slug, textilsvinn.pk])
    page = client.get(detail).content.decode()
    assert "Being assessed" in page and "Granted" not in page and "was granted" not in page and letter not in page
    assert client.get(letter).status_code == 404
    mine = client.get(reverse("my_applications")).content.decode()
    assert "Being assessed" in mine and "Granted" not in mine

    client.force_login(admin)
    client.post(reverse("outbox", args=[funder.slug]) + f"?batch=decisions:{textilsvinn.call_id}")
    client.force_login(textilsvinn.applicant)
    page = client.get(detail).content.decode()
    assert "Granted" in page and letter in page
    assert client.get(letter)["Content-Type"] == "application/pdf"
    assert "Granted" in client.get(reverse("my_applications")).content.decode()
