"""Emails about applications, in the recipient's language, queued through the outbox."""

from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from calls.notices import absolute
from fundportal.services import email_queue

MANAGER_SALT = "fundportal.applications.manager"
MANAGER_LINK_DAYS = 30


def send_about(application, template, recipient, occasion, language, attachment=None, **context):
    """Queue the email ``<template>.txt`` / ``<template>_subject.txt`` about ``application`` in ``language``."""
    with translation.override(language or application.funder.default_language):
        context = {"application": application, "funder": application.funder, **context}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
        return email_queue(funder=application.funder, recipient=recipient, subject=subject, body=body,
                           kind=template.rsplit("/", 1)[-1], occasion=occasion, attachment=attachment)


def application_url(application):
    return absolute(reverse("applications:detail", args=[application.funder.slug, application.pk]))


def receipt(application, revision):
    from applications.pdf import application_pdf

    language = application.applicant.language
    with translation.override(language or application.funder.default_language):
        pdf = application_pdf(application, revision.answers)
    send_about(application, "applications/email/receipt", application.applicant.email, f"receipt:{application.pk}:{revision.number}",
          language, attachment=(f"{application.case_number}.pdf", pdf), url=application_url(application))


def collaborator_invitation(collaborator):
    application = collaborator.application
    send_about(application, "applications/email/invitation", collaborator.email, f"invitation:{collaborator.pk}:{collaborator.access}",
          application.funder.default_language, collaborator=collaborator, url=application_url(application))


def manager_token(application):
    return signing.dumps({"funder": application.funder_id, "application": application.pk,
                          "email": application.manager_email}, salt=MANAGER_SALT)


def read_manager_token(token, funder):
    """The application id in a valid, unexpired manager link for ``funder``; else None."""
    try:
        data = signing.loads(token, salt=MANAGER_SALT, max_age=MANAGER_LINK_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None
    return data if data.get("funder") == funder.pk else None


def manager_request(application):
    url = absolute(reverse("applications:manager_approval", args=[application.funder.slug, manager_token(application)]))
    send_about(application, "applications/email/manager_request", application.manager_email,
          f"manager-request:{application.pk}:{application.manager_email}", application.funder.default_language,
          url=url, days=MANAGER_LINK_DAYS)


def completion_request(application, comment):
    send_about(application, "applications/email/completion_request", application.applicant.email,
          f"completion-request:{application.pk}:{application.transitions.count()}", application.applicant.language,
          comment=comment, url=application_url(application))
