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
