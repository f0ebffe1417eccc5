"""Emails of the assessment."""

from django.urls import reverse

from applications.notices import send_about
from calls.notices import absolute


def assignment_notice(assignment):
    """Tell a reviewer what to review and by when; once per assignment."""
    url = absolute(reverse("review:review", args=[assignment.funder.slug, assignment.pk]))
    send_about(assignment.application, "review/email/assignment", assignment.reviewer.email,
               f"assignment:{assignment.pk}", assignment.reviewer.language, assignment=assignment, url=url)
