"""The applicant reads how much was granted, beside what was applied for, once the decision letter is sent."""

import pytest
from django.urls import reverse

from fundportal.models import Role
from fundportal.tenancy import scope
from review.decisions import decision_record, decisions_release
from tests.factories import staff
from tests.review.conftest import at_panel, panel_call, submitted  # noqa: F401 - the review stories' fixtures

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_granted_applicant_reads_the_amount_granted_of_the_amount_applied_for_once_the_letter_is_sent(
        client, funder, at_panel, mailoutbox_to_db):
    textilsvinn = at_panel[0]  # applied for 450 000
    admin = staff(funder, Role.ADMINISTRATOR)
    with scope(funder=funder):
        decision_record(application=textilsvinn, by=admin, outcome="granted", amount=400_000)
        decisions_release(call=textilsvinn.call, by=admin)
    detail = reverse("applications:detail", args=[funder.slug, textilsvinn.pk])
    client.force_login(textilsvinn.applicant)
    assert "400,000" not in client.get(detail).content.decode()  # the letter still waits in the outbox

    client.force_login(admin)
    client.post(reverse("outbox", args=[funder.slug]) + f"?batch=decisions:{textilsvinn.call_id}")
    client.force_login(textilsvinn.applicant)
    page = client.get(detail).content.decode().replace("\xa0", " ")
    assert "Granted: SEK 400,000 of SEK 450,000 applied for" in page
