"""The applicant's lists fit a 390 px phone, and a long link in a mail stays inside its box."""

import pytest

from applications.lifecycle import State
from fundportal.models import LocalMail
from tests.factories import ApplicationFactory, CallFactory
from tests.browser.steps import page_width, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Stöd och organisation för innovation inom Life Science och hälsa i norra Sverige"
APPROVAL_LINK = ("http://127.0.0.1:8000/region-stockholm/approval/eyJmdW5kZXIiOjEsImFwcGxpY2F0aW9uIjoxLCJlbWFpbCI6Im1hbm"
                 "FnZXJAa2Fyb2xpbnNrYS5leGFtcGxlIiwiYXNrZWQiOiIyMDI2LTEyLTAxVDEwOjM1OjAwKzAxOjAwIn0:1uYq2w:Zk3p0cXJ1c3RlZC1"
                 "tYW5hZ2VyLWFwcHJvdmFs/")  # a signed token: one word of 200 characters


def mail_to(person):
    return LocalMail.objects.create(
        recipient=person.email, sender="Region Stockholm <no-reply@fundportal.region-stockholm.example>",
        subject=f"Your manager is asked to approve the application “{TITLE}”",
        body=f"Anna Berg asks you to approve the application “{TITLE}”.\n\nOpen it here: {APPROVAL_LINK}\n")


def test_my_applications_fit_a_phone(page, live_server, funder, applicant, log_in, assert_accessible):
    call = CallFactory(fund__funder=funder, title={"en": "Innovation funding for health care and life science 2026"})
    ApplicationFactory(call=call, applicant=applicant, title=TITLE, state=State.SUBMITTED, case_number="RS-IF-2026-0001")
    ApplicationFactory(call=call, applicant=applicant, title="Textilsvinn")
    signed_in(page, live_server, log_in, applicant, "/my/applications/", 390)
    assert page.get_by_role("link", name=TITLE).is_visible()
    assert page_width(page) <= 390
    assert_accessible(page)


def test_the_mailbox_fits_a_phone(page, live_server, applicant, log_in, assert_accessible):
    mail_to(applicant)
    signed_in(page, live_server, log_in, applicant, "/mailbox/", 390)
    assert page.get_by_role("link", name="Your manager is asked").is_visible()
    assert page_width(page) <= 390
    assert_accessible(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_long_link_in_a_mail_stays_inside_its_box_and_is_readable(page, live_server, applicant, log_in, width,
                                                                    assert_accessible):
    mail = mail_to(applicant)
    signed_in(page, live_server, log_in, applicant, f"/mailbox/{mail.pk}/", width)
    body = page.locator(".mail-body")
    assert body.get_by_role("link", name=APPROVAL_LINK).is_visible()
    assert body.evaluate("box => box.scrollWidth <= box.clientWidth")  # nothing runs out of the box or hides in it
    assert page_width(page) <= width
    assert_accessible(page)  # the link's colour on the mail's grey has enough contrast
