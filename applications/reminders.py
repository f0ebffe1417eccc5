"""Reminders about applications: unsubmitted drafts before their period closes; managers who have not answered."""

from datetime import timedelta

from applications.lifecycle import State
from applications.models import Application
from applications.notices import application_url, send_about
from fundportal.reminders import moment_before


def draft_reminders(funder, now):
    """Email each applicant with a draft N days and 1 day before the deadline (09:00 local), once per occasion."""
    sent = 0
    drafts = Application.objects.filter(state=State.DRAFT, period__closes_at__gt=now).select_related(
        "period", "call", "applicant")
    for application in drafts:
        for days in sorted({application.call.reminder_days, 1}, reverse=True):
            start = moment_before(application.period.closes_at, days, funder.time_zone)
            window_end = start + timedelta(days=1) if days > 1 else application.period.closes_at
            if start <= now < window_end:
                send_about(application, "applications/email/draft_reminder", application.applicant.email,
                           f"draft-reminder:{application.pk}:{days}", application.applicant.language,
                           days=days, deadline=application.period.closes_at, url=application_url(application))
                sent += 1
    return sent


def manager_reminders(funder, now, after_days=3):
    """Remind a manager once who has not answered an approval request after ``after_days`` days."""
    from applications.notices import manager_token
    from calls.notices import absolute
    from django.urls import reverse

    sent = 0
    waiting = Application.objects.filter(manager_decision=Application.ManagerDecision.PENDING, state=State.DRAFT,
                                         updated__lte=now - timedelta(days=after_days)).select_related("applicant")
    for application in waiting:
        url = absolute(reverse("applications:manager_approval", args=[funder.slug, manager_token(application)]))
        send_about(application, "applications/email/manager_request", application.manager_email,
                   f"manager-reminder:{application.pk}:{application.manager_email}", funder.default_language,
                   url=url, days=30)
        sent += 1
    return sent


def period_closed_receipts(funder, now):
    """When a period has closed, tell each applicant in it that their application is registered, once."""
    from datetime import timedelta

    sent = 0
    registered = Application.objects.filter(
        period__closes_at__lte=now, period__closes_at__gt=now - timedelta(days=2),
        state__in=(State.SUBMITTED, State.IN_REVIEW, State.RETURNED)).select_related("period", "applicant")
    for application in registered:
        send_about(application, "applications/email/period_closed", application.applicant.email,
                   f"period-closed:{application.period_id}:{application.pk}", application.applicant.language,
                   period=application.period, url=application_url(application))
        sent += 1
    return sent


def completion_reminders(funder, now):
    """The day before a completion is due (09:00 local), remind the applicant once."""
    from datetime import timedelta

    sent = 0
    returned = Application.objects.filter(state=State.RETURNED, completion_due__gt=now).select_related("applicant")
    for application in returned:
        start = moment_before(application.completion_due, 1, funder.time_zone)
        if start <= now < start + timedelta(days=1):
            send_about(application, "applications/email/completion_reminder", application.applicant.email,
                       f"completion-reminder:{application.pk}:{application.completion_due:%Y%m%d}",
                       application.applicant.language, url=application_url(application))
            sent += 1
    return sent
