"""Emails about applications, in the recipient's language, queued through the outbox."""

from functools import partial

from django.core import signing
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from applications.pdf import application_pdf
from fundportal.emails import email_send
from fundportal.links import absolute, personal_link
from fundportal.translated import translated

MANAGER_SALT = "fundportal.applications.manager"
MANAGER_LINK_DAYS = 30


def application_values(application, url=""):
    """The placeholders every email about an application can use."""
    return {"funder": application.funder.name, "call": lambda: application.call.display_title,
            "applicant": str(application.applicant), "project": application.title,
            "case_number": application.case_number, "url": url or application_url(application)}


def send_about(application, kind, recipient, occasion, language, attachment=None, **values):
    """Queue the ``kind`` email about ``application`` to ``recipient`` in ``language`` (once per occasion)."""
    return email_send(funder=application.funder, kind=kind, recipient=recipient, language=language, occasion=occasion,
                      values={**application_values(application, values.pop("url", "")), **values},
                      attachment=attachment)


def settings_url():
    return absolute(reverse("profile")) + "#id_wants_reminders"


def application_url(application):
    return absolute(reverse("applications:detail", args=[application.funder.slug, application.pk]))


def receipt(application, revision):
    language = application.applicant.language
    with translation.override(language or application.funder.default_language):
        pdf = application_pdf(application, revision.answers)
    send_about(application, "receipt", application.applicant.email, f"receipt:{application.pk}:{revision.number}",
               language, attachment=(f"{application.case_number}.pdf", pdf))


def collaborator_invitation(collaborator):
    application = collaborator.application
    can_edit = collaborator.access == collaborator.Access.EDIT
    send_about(application, "invitation", collaborator.email, f"invitation:{collaborator.pk}:{collaborator.access}",
               application.funder.default_language, email=collaborator.email,
               access=_("You may edit the application.") if can_edit else _("You may read the application."))


def manager_token(application):
    """The signed key of the manager's link: valid for this application's current request to this manager only."""
    return signing.dumps({"funder": application.funder_id, "application": application.pk,
                          "email": application.manager_email, "asked": manager_request_key(application)},
                         salt=MANAGER_SALT)


def manager_request_key(application):
    """Names the current request to the manager: a new request makes every earlier link invalid."""
    asked = application.manager_asked_at
    return asked.isoformat() if asked else ""


def application_of_manager_link(token, funder):
    """The application whose manager link (for ``funder``, unexpired) this is, while it is the link of the current
    request to the current manager; else None."""
    try:
        data = signing.loads(token, salt=MANAGER_SALT, max_age=MANAGER_LINK_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None
    if data.get("funder") != funder.pk:
        return None
    application = Application.objects.filter(pk=data["application"]).select_related("call", "applicant").first()
    if application is None or (application.manager_email, manager_request_key(application)) != (
            data["email"], data.get("asked")):
        return None
    return application


def manager_url(*, funder, recipient, ref):
    """The personal link with which the manager of application ``ref`` answers, made when the email is sent."""
    application = Application.objects.filter(pk=ref, manager_email=recipient).first()
    if application is None:
        return None
    return absolute(reverse("applications:manager_approval", args=[funder.slug, manager_token(application)]))


def manager_request(application, reminder=False):
    """Ask the named manager to approve, by a personal link that needs no account; or remind them once."""
    kind = "manager_reminder" if reminder else "manager_request"
    send_about(application, kind, application.manager_email,
               f"{kind.replace('_', '-')}:{application.pk}:{manager_request_key(application)}",
               application.funder.default_language, url=personal_link("manager", application.pk),
               manager=application.manager_name, link_days=MANAGER_LINK_DAYS)


def completion_request(application, comment):
    send_about(application, "completion_request", application.applicant.email,
               f"completion-request:{application.pk}:{application.transitions.count()}", application.applicant.language,
               comment=comment, due=application.completion_due, parts=partial(parts_to_complete, application))


def parts_to_complete(application):
    """"Parts to complete: Budget, Attachments." in the active language, or nothing when the whole application is."""
    if not application.completion_sections:
        return ""
    sections = application.call.sections.filter(pk__in=application.completion_sections)
    names = ", ".join(translated(section.title, application.funder.default_language) for section in sections)
    return _("Parts to complete: %(parts)s.") % {"parts": names}
