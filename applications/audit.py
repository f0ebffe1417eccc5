"""What the audit trail keeps of applications (``fundportal.audit``): their moves, edits after submission, downloads,
and every page or file that shows the funder's staff a part the applicant marked confidential — how those events
read, and where an application is shown.

Views and downloads are recorded for the people who read an application without being on it (the funder's staff);
its applicant and co-applicants reading their own answers are not recorded."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from applications.lifecycle import TRANSITIONS_BY_ACTION, State
from applications.models import Application
from applications.rules import is_collaborator, is_main_applicant
from fundportal.audit import Kind, audit_record, register_link, register_sentence

# The pages that may show a confidential part, as the trail names them.
PAGES = {"application": gettext_lazy("the application's page"), "screening": gettext_lazy("the screening page"),
         "review": gettext_lazy("the review page"), "pdf": gettext_lazy("the application as PDF"),
         "file": gettext_lazy("a file")}


def application_label(application):
    """How the trail names an application: by its case number once it has one."""
    return application.case_number or application.title


def is_on_the_application(user, application):
    return is_main_applicant(user, application) or is_collaborator(user, application)


def confidential_parts(sections):
    """How many answers and files marked confidential ``sections`` (``answered_sections``, as shown) hold."""
    count = 0
    for _section, rows in sections:
        for _question, shown, note in rows:
            count += bool(note)
            if isinstance(shown, list):
                count += sum(1 for item in shown if getattr(item, "confidential_reason", ""))
    return count


def application_moved(*, application, transition, source_state, by):
    """``application_transition`` moved ``application``: recorded with the move it made."""
    audit_record(kind=Kind.APPLICATION_MOVED, actor=by, obj=application, label=application_label(application),
                 application_id=application.pk,
                 details={"action": transition.action, "from": source_state, "to": transition.target})


def application_edited(*, application, by, change, sections=()):
    """A submitted application (returned for completion) changed by its applicant: ``change`` is "answers",
    "file_added" or "file_removed"; nothing is recorded while it is a draft that was never submitted."""
    if application.submitted_at is None:
        return
    audit_record(kind=Kind.APPLICATION_EDITED, actor=by, obj=application, label=application_label(application),
                 application_id=application.pk, details={"change": change, "sections": sorted(sections)})


def confidential_viewed(*, application, viewer, sections, page):
    """A page showed ``viewer`` the ``sections`` of ``application``: one event for the page when any part shown is
    marked confidential and the viewer is not on the application."""
    parts = confidential_parts(sections)
    if parts and not is_on_the_application(viewer, application):
        audit_record(kind=Kind.CONFIDENTIAL_VIEWED, actor=viewer, obj=application,
                     label=application_label(application), application_id=application.pk,
                     details={"page": page, "parts": parts})


def application_downloaded(*, application, viewer):
    """The application as PDF, downloaded by someone not on it; one with confidential parts counts as their view."""
    if is_on_the_application(viewer, application):
        return
    parts = sum(1 for note in application.confidential.values() if note) + sum(
        1 for attachment in application.attachments.all() if attachment.confidential_reason)
    label = application_label(application)
    if parts:
        audit_record(kind=Kind.CONFIDENTIAL_VIEWED, actor=viewer, obj=application, label=label,
                     application_id=application.pk, details={"page": "pdf", "parts": parts})
    else:
        audit_record(kind=Kind.APPLICATION_DOWNLOADED, actor=viewer, obj=application, label=label,
                     application_id=application.pk)


def file_downloaded(*, attachment, viewer):
    """A file of an application, downloaded by someone not on it: a confidential one counts as its view."""
    application = attachment.application
    if is_on_the_application(viewer, application):
        return
    confidential = bool(attachment.confidential_reason)
    audit_record(kind=Kind.CONFIDENTIAL_VIEWED if confidential else Kind.FILE_DOWNLOADED, actor=viewer,
                 obj=attachment, label=f"{application_label(application)}: {attachment.original_name}",
                 application_id=application.pk,
                 details={"page": "file", "parts": 1, "file": attachment.original_name} if confidential
                 else {"file": attachment.original_name})


def _state(value):
    return State(value).label


def _moved(details):
    transition = TRANSITIONS_BY_ACTION[details["action"]]
    return _("%(action)s: from “%(from)s” to “%(to)s”") % {
        "action": transition.label, "from": _state(details["from"]), "to": _state(details["to"])}


EDITS = {"answers": gettext_lazy("Changed answers of the submitted application"),
         "file_added": gettext_lazy("Added a file to the submitted application"),
         "file_removed": gettext_lazy("Removed a file from the submitted application")}


def _viewed(details):
    if details.get("file"):
        return _("Downloaded the file “%(file)s”, marked confidential") % {"file": details["file"]}
    return ngettext("Read %(page)s, showing %(parts)d part marked confidential",
                    "Read %(page)s, showing %(parts)d parts marked confidential", details["parts"]) % {
        "page": PAGES[details["page"]], "parts": details["parts"]}


register_sentence(Kind.APPLICATION_MOVED, _moved)
register_sentence(Kind.APPLICATION_EDITED, lambda details: str(EDITS[details["change"]]))
register_sentence(Kind.CONFIDENTIAL_VIEWED, _viewed)
register_sentence(Kind.FILE_DOWNLOADED, lambda details: _("Downloaded the file “%(file)s”") % {"file": details["file"]})
register_link("applications.application", model=Application,
              url=lambda slug, application: reverse("applications:detail", args=[slug, application.pk]),
              of_applications=True)
