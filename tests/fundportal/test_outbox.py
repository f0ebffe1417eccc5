"""What every outgoing email looks like."""

import pytest

from fundportal.tenancy import scope

pytestmark = pytest.mark.django_db


def test_every_email_has_a_plain_text_part_and_the_funders_html_layout(funder):
    from fundportal.services import email_queue

    funder.primary_colour = "#002d5a"
    funder.save()
    with scope(funder=funder):
        email = email_queue(funder=funder, recipient="anna@example.se", subject="Ansökan mottagen",
                            body="Tack!\n\nSe https://example.se/a/1", kind="receipt", occasion="receipt:x")
    assert email.body.startswith("Tack!")
    assert "#002d5a" in email.html and "Region Stockholm" in email.html
    assert '<a href="https://example.se/a/1"' in email.html


def test_an_administrator_finds_the_email_sent_to_one_applicant(client, funder):
    from django.urls import reverse

    from fundportal.models import Role
    from fundportal.services import email_queue
    from tests.factories import staff

    with scope(funder=funder):
        for name in ("anna", "bertil", "cecilia"):
            email_queue(funder=funder, recipient=f"{name}@example.se", subject=f"Beslut för {name.title()}", body="…",
                        kind="decision", occasion=f"decision:{name}", draft=True)
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    page = client.get(reverse("outbox", args=[funder.slug]), {"q": "BERTIL"}).content.decode()
    assert "bertil@example.se" in page and "anna@example.se" not in page and "cecilia@example.se" not in page
    page = client.get(reverse("outbox", args=[funder.slug]), {"q": "Beslut för Cecilia"}).content.decode()
    assert "cecilia@example.se" in page and "bertil@example.se" not in page
    page = client.get(reverse("outbox", args=[funder.slug]), {"q": "nobody"}).content.decode()
    assert "No email matches." in page
