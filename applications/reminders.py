"""Reminders about applications: unsubmitted drafts before their period closes; managers who have not answered."""

from datetime import timedelta
from functools import partial

from django.utils.translation import gettext as _

from applications.lifecycle import State
from applications.models import Application
from applications.notices import manager_request, send_about, settings_url
from fundportal.reminders import moment_before
from fundportal.templatetags.portal import when


def draft_reminders(funder, now):
    """Email each applicant with a draft N days and 1 day before the deadline (09:00 local), once per occasion."""
    sent = 0
    drafts = Application.objects.filter(state=State.DRAFT, period__closes_at__gt=now, applicant__wants_reminders=True).select_related(
        "period", "call", "applicant")
    for application in drafts:
        for days in sorted({application.call.reminder_days, 1}, reverse=True):
            start = moment_before(application.period.closes_at, days, funder.time_zone)
            window_end = start + timedelta(days=1) if days > 1 else application.period.closes_at
            if start <= now < window_end:
                send_about(application, "draft_reminder", application.applicant.email,
                           f"draft-reminder:{application.pk}:{days}", application.applicant.language,
                           deadline=application.period.closes_at, settings_url=settings_url())
                sent += 1
    return sent


def manager_reminders(funder, now, after_days=3):
    """Remind a manager once who has not answered an approval request after ``after_days`` days."""
    sent = 0
    waiting = Application.objects.filter(manager_decision=Application.ManagerDecision.PENDING, state=State.DRAFT,
                                         manager_asked_at__lte=now - timedelta(days=after_days)).select_related("applicant")
    for application in waiting:
        manager_request(application, reminder=True)
        sent += 1
    return sent


def decision_announcement(period):
    """When the period's decision is announced, as a sentence in the active language (empty if not announced)."""
    if period.decision_week:
        return _("The decision is announced by week %(week)s.") % {"week": period.decision_week}
    if period.decision_by:
        return _("The decision is announced by %(date)s.") % {"date": when(period.decision_by)}
    return ""


def period_closed_receipts(funder, now):
    """When a period has closed, tell each applicant in it that their application is registered, once."""
    sent = 0
    registered = Application.objects.filter(
        period__closes_at__lte=now, period__closes_at__gt=now - timedelta(days=2),
        state__in=State.UNDECIDED).select_related("period", "applicant")
    for application in registered:
        send_about(application, "period_closed", application.applicant.email,
                   f"period-closed:{application.period_id}:{application.pk}", application.applicant.language,
                   decision_announced=partial(decision_announcement, application.period))
        sent += 1
    return sent


def completion_reminders(funder, now):
    """The day before a completion is due (09:00 local), remind the applicant once."""
    sent = 0
    returned = Application.objects.filter(state=State.RETURNED, completion_due__gt=now,
                                          applicant__wants_reminders=True).select_related("applicant")
    for application in returned:
        start = moment_before(application.completion_due, 1, funder.time_zone)
        if start <= now < start + timedelta(days=1):
            send_about(application, "completion_reminder", application.applicant.email,
                       f"completion-reminder:{application.pk}:{application.completion_due:%Y%m%d}",
                       application.applicant.language, due=application.completion_due, settings_url=settings_url())
            sent += 1
    return sent
