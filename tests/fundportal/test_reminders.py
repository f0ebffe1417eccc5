"""Reminders fire once, at 09:00 local time, also across a daylight-saving change (a controllable clock: ``now``)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from applications.lifecycle import State
from applications.tasks import funder_reminders
from calls.models import Period
from fundportal.models import OutboxEmail
from fundportal.reminders import moment_before
from fundportal.tenancy import scope, scopes_disabled
from tests.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at_utc(*parts):
    return datetime(*parts, tzinfo=UTC)


def run(funder, moment):
    return funder_reminders.apply(kwargs={"funder_id": funder.pk, "now": moment.isoformat()}).get()


def reminder_occasions(funder, prefix=""):
    with scope(funder=funder):
        return sorted(OutboxEmail.objects.filter(occasion__startswith=prefix).values_list("occasion", flat=True))


def test_nine_in_the_morning_stays_nine_across_the_change_to_summer_time():
    closes = datetime(2026, 3, 30, 23, 59, tzinfo=STOCKHOLM)  # summer time starts 29 March 02:00
    assert moment_before(closes, 1, "Europe/Stockholm").astimezone(UTC) == at_utc(2026, 3, 29, 7, 0)  # CEST
    assert moment_before(closes, 7, "Europe/Stockholm").astimezone(UTC) == at_utc(2026, 3, 23, 8, 0)  # CET


def test_draft_reminders_fire_once_at_the_right_local_times(funder):
    call = CallFactory(fund__funder=funder, reminder_days=7)
    with scopes_disabled():
        period = Period.objects.create(funder=funder, call=call, opens_at=datetime(2026, 3, 1, tzinfo=STOCKHOLM),
                                       closes_at=datetime(2026, 3, 30, 23, 59, tzinfo=STOCKHOLM))
    draft = ApplicationFactory(call=call, period=period, state=State.DRAFT)
    ApplicationFactory(call=call, period=period, state=State.SUBMITTED)  # submitted: no reminder

    run(funder, at_utc(2026, 3, 23, 7, 59))
    assert reminder_occasions(funder) == []
    run(funder, at_utc(2026, 3, 23, 8, 0))
    run(funder, at_utc(2026, 3, 23, 9, 0))  # the next hourly run sends nothing more
    assert reminder_occasions(funder) == [f"draft-reminder:{draft.pk}:7"]
    run(funder, at_utc(2026, 3, 29, 6, 59))
    assert len(reminder_occasions(funder)) == 1
    run(funder, at_utc(2026, 3, 29, 7, 0))  # 09:00 summer time
    run(funder, at_utc(2026, 3, 30, 12, 0))
    assert reminder_occasions(funder) == [f"draft-reminder:{draft.pk}:1", f"draft-reminder:{draft.pk}:7"]
    run(funder, at_utc(2026, 3, 31, 8, 0))  # after the deadline: no more draft reminders
    assert len([occasion for occasion in reminder_occasions(funder) if occasion.startswith("draft-")]) == 2


def test_the_beat_task_runs_each_funders_reminders_in_its_own_scope(funder, other_funder):
    from applications.tasks import send_reminders

    assert send_reminders.apply().get() == 2


def test_every_periodic_task_in_the_beat_schedule_is_one_a_worker_knows():
    from django.conf import settings

    from fundportal.celery import app

    app.loader.import_default_modules()  # what a worker does on start: every app's tasks module
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled == {"applications.tasks.send_reminders", "review.tasks.send_reminders",
                         "fundportal.tasks.requeue_stuck_emails", "review.tasks.requeue_stuck_letters",
                         "fundportal.export_jobs.remove_expired_exports"}
    assert scheduled <= set(app.tasks)


def test_a_manager_who_has_not_answered_in_three_days_is_reminded_once(funder):
    from django.utils import timezone

    asked = timezone.now() - timedelta(days=4)
    application = ApplicationFactory(call=CallFactory(fund__funder=funder), state=State.DRAFT,
                                     manager_email="chef@example.se", manager_decision="pending", manager_asked_at=asked)
    ApplicationFactory(call=application.call, state=State.DRAFT, manager_email="other@example.se",
                       manager_decision="pending", manager_asked_at=timezone.now() - timedelta(days=2))
    run(funder, timezone.now())
    run(funder, timezone.now())
    assert reminder_occasions(funder) == [f"manager-reminder:{application.pk}:{asked.isoformat()}"]


def test_applicants_hear_once_that_the_period_closed_and_their_application_is_registered(funder):
    call = CallFactory(fund__funder=funder)
    with scopes_disabled():
        period = Period.objects.create(funder=funder, call=call, opens_at=datetime(2026, 1, 1, tzinfo=STOCKHOLM),
                                       closes_at=datetime(2026, 2, 2, 23, 59, tzinfo=STOCKHOLM), decision_week=16)
    submitted = ApplicationFactory(call=call, period=period, state=State.SUBMITTED, case_number="RS-IF-2026-0042")
    ApplicationFactory(call=call, period=period, state=State.DRAFT)  # never submitted: no receipt
    run(funder, at_utc(2026, 2, 2, 22, 0))  # still open
    assert reminder_occasions(funder, "period-closed") == []
    run(funder, at_utc(2026, 2, 2, 23, 5))
    run(funder, at_utc(2026, 2, 3, 10, 0))
    assert reminder_occasions(funder, "period-closed") == [f"period-closed:{period.pk}:{submitted.pk}"]
    with scope(funder=funder):
        receipt = OutboxEmail.objects.get(occasion__startswith="period-closed")
    assert "RS-IF-2026-0042" in receipt.body and "16" in receipt.body


def test_a_returned_application_is_reminded_the_day_before_completion_is_due(funder):
    application = ApplicationFactory(call=CallFactory(fund__funder=funder), state=State.RETURNED,
                                     completion_due=datetime(2026, 5, 20, 16, 0, tzinfo=STOCKHOLM))
    run(funder, at_utc(2026, 5, 19, 6, 59))
    run(funder, at_utc(2026, 5, 19, 7, 0))
    run(funder, at_utc(2026, 5, 19, 12, 0))
    assert reminder_occasions(funder) == [f"completion-reminder:{application.pk}:20260520"]
