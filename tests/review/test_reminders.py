"""Reviewers are reminded once, at 09:00 local time, also across a daylight-saving change (a controllable clock)."""

from datetime import date

import pytest

from applications.lifecycle import State
from calls.models import Stage
from fundportal.models import Role
from fundportal.tenancy import scopes_disabled
from review.models import Assignment
from review.tasks import funder_reminders
from tests.factories import ApplicationFactory, CallFactory, staff
from tests.fundportal.test_reminders import at_utc, reminder_occasions

pytestmark = pytest.mark.django_db


def run(funder, moment):
    return funder_reminders.apply(kwargs={"funder_id": funder.pk, "now": moment.isoformat()}).get()


def test_reviewers_are_reminded_the_day_before_and_when_late(funder):
    call = CallFactory(fund__funder=funder)
    application = ApplicationFactory(call=call, state=State.IN_REVIEW)
    with scopes_disabled():
        stage = Stage.objects.create(funder=funder, call=call, position=0, kind=Stage.Kind.PANEL, name="Panel")
        assignment = Assignment.objects.create(funder=funder, application=application, stage=stage,
                                               reviewer=staff(funder, Role.PANEL_MEMBER), due=date(2026, 10, 26),
                                               has_conflict=False)
    run(funder, at_utc(2026, 10, 25, 7, 59))  # 09:00 CEST would be 07:00 UTC; winter time begins 25 October 03:00
    run(funder, at_utc(2026, 10, 25, 8, 0))  # 09:00 CET
    assert reminder_occasions(funder) == [f"review-due:{assignment.pk}"]
    run(funder, at_utc(2026, 10, 27, 8, 0))
    run(funder, at_utc(2026, 10, 27, 20, 0))
    assert reminder_occasions(funder) == [f"review-due:{assignment.pk}", f"review-late:{assignment.pk}"]
