"""Emails and letters write dates as the pages do ("30 March 2026 23:59"), not in Django's own English style
("March 30, 2026, 11:59 p.m.")."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from applications.lifecycle import State
from applications.tasks import funder_reminders
from calls.models import Period, Stage
from fundportal.models import OutboxEmail, Role
from fundportal.tenancy import scope, scopes_disabled
from review.decisions import decision_record
from review.letters import values
from review.models import Assignment
from review.notices import assignment_notice
from tests.factories import ApplicationFactory, CallFactory, UserFactory, staff
from tests.review.conftest import at_panel, panel_call, submitted  # noqa: F401 - the review stories' fixtures

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def email_to(funder, person):
    with scope(funder=funder):
        return OutboxEmail.objects.get(recipient=person.email).body


def test_an_english_draft_reminder_writes_the_deadline_as_the_pages_do(funder):
    applicant = UserFactory(language="en")
    call = CallFactory(fund__funder=funder, reminder_days=7)
    with scopes_disabled():
        period = Period.objects.create(funder=funder, call=call, opens_at=datetime(2026, 3, 1, tzinfo=STOCKHOLM),
                                       closes_at=datetime(2026, 3, 30, 23, 59, tzinfo=STOCKHOLM))
    ApplicationFactory(call=call, period=period, state=State.DRAFT, applicant=applicant)
    funder_reminders.apply(kwargs={"funder_id": funder.pk, "now": datetime(2026, 3, 29, 9, 0, tzinfo=STOCKHOLM).isoformat()}).get()
    assert "The deadline is 30 March 2026 23:59 (Europe/Stockholm)." in email_to(funder, applicant)


def test_an_english_receipt_when_the_period_closes_writes_the_decision_date_as_the_pages_do(funder):
    applicant = UserFactory(language="en")
    call = CallFactory(fund__funder=funder)
    with scopes_disabled():
        period = Period.objects.create(funder=funder, call=call, opens_at=datetime(2026, 3, 1, tzinfo=STOCKHOLM),
                                       closes_at=datetime(2026, 3, 30, 23, 59, tzinfo=STOCKHOLM),
                                       decision_by=date(2026, 6, 15))
    ApplicationFactory(call=call, period=period, state=State.SUBMITTED, applicant=applicant)
    funder_reminders.apply(kwargs={"funder_id": funder.pk, "now": datetime(2026, 3, 31, 9, 0, tzinfo=STOCKHOLM).isoformat()}).get()
    assert "The decision is announced by 15 June 2026." in email_to(funder, applicant)


def test_an_english_review_assignment_writes_its_due_date_as_the_pages_do(funder):
    call = CallFactory(fund__funder=funder)
    reviewer = staff(funder, Role.PANEL_MEMBER, user__language="en")
    with scope(funder=funder):
        stage = Stage.objects.create(funder=funder, call=call, position=0, kind=Stage.Kind.PANEL, name="Panel")
        assignment = Assignment.objects.create(funder=funder, application=ApplicationFactory(call=call, state=State.IN_REVIEW),
                                               stage=stage, reviewer=reviewer, due=date(2026, 10, 26))
        assignment_notice(assignment)
    assert "Please submit your review by 26 October 2026." in email_to(funder, reviewer)


def test_an_english_letter_writes_the_decision_date_as_the_pages_do(funder, at_panel):
    admin = staff(funder, Role.ADMINISTRATOR)
    with scope(funder=funder):
        decision = decision_record(application=at_panel[0], by=admin, outcome="granted", amount=400_000)
        with translation.override("en"):
            written = values(decision)["decision_date"]
    today = timezone.localdate(decision.updated)
    assert written == f"{today.day} {today:%B} {today.year}"
