"""Reminders to reviewers: the day before an assignment is due, and when it is late (09:00 local time)."""

from datetime import timedelta

from django.urls import reverse

from applications.notices import send_about, settings_url
from fundportal.links import absolute
from fundportal.reminders import moment_on
from review.models import Assignment


def reviewer_reminders(funder, now):
    sent = 0
    open_assignments = (Assignment.objects.filter(due__isnull=False, reviewer__wants_reminders=True).open()
                        .select_related("application", "reviewer"))
    for assignment in open_assignments:
        occasions = (("due", moment_on(assignment.due - timedelta(days=1), funder.time_zone)),
                     ("late", moment_on(assignment.due + timedelta(days=1), funder.time_zone)))
        for kind, moment in occasions:
            if moment <= now < moment + timedelta(days=1):
                url = absolute(reverse("review:review", args=[funder.slug, assignment.pk]))
                send_about(assignment.application, f"review_{kind}", assignment.reviewer.email,
                           f"review-{kind}:{assignment.pk}", assignment.reviewer.language,
                           url=url, due=assignment.due, settings_url=settings_url())
                sent += 1
    return sent
