"""Emails of the assessment."""

from functools import partial

from django.urls import reverse
from django.utils.translation import gettext as _

from applications.notices import send_about
from fundportal.links import absolute
from fundportal.templatetags.portal import when


def assignment_notice(assignment):
    """Tell a reviewer what to review and by when; once per assignment."""
    url = absolute(reverse("review:review", args=[assignment.funder.slug, assignment.pk]))
    send_about(assignment.application, "assignment", assignment.reviewer.email, f"assignment:{assignment.pk}",
               assignment.reviewer.language, url=url, due_note=partial(due_note, assignment))


def due_note(assignment):
    if not assignment.due:
        return ""
    return _("Please submit your review by %(due)s.") % {"due": when(assignment.due)}
