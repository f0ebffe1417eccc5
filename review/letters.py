"""Decision letters: the funder's wording with {placeholders}, rendered as a PDF on its letterhead and written
into the applicant's email in the outbox."""

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from applications.answers import budget_table, key
from applications.letters import letter_occasion
from applications.models import Application
from calls.models import Call, Question
from fundportal.models import Funder, OutboxEmail, User
from fundportal.outbox import email_html
from fundportal.pdf import pdf_from_html
from fundportal.templatetags.portal import money, when
from fundportal.uploads import embedded_image
from fundportal.wording import fill, validate_placeholders, wording_of
from review.models import Decision, LetterTemplate

PLACEHOLDERS = {
    "applicant": gettext_lazy("the main applicant's name"),
    "organisation": gettext_lazy("the applicant's organisation and unit"),
    "project": gettext_lazy("the project title"),
    "case_number": gettext_lazy("the case number"),
    "call": gettext_lazy("the call's title"),
    "funder": gettext_lazy("the funder's name"),
    "amount": gettext_lazy("the amount granted, e.g. 1 245 497 kr"),
    "amount_requested": gettext_lazy("the amount applied for"),
    "decision_date": gettext_lazy("the date of the decision"),
    "justification": gettext_lazy("the justification: the screening's reason, or as the letter settings say"),
    "project_period": gettext_lazy("the project period, from its start to its end date"),
    "conditions": gettext_lazy("the conditions"),
    "account": gettext_lazy("the account or appropriation"),
}

DEFAULT_SUBJECT = gettext_lazy("Decision on your application {case_number}")
DEFAULT_BODY = {
    Decision.Outcome.GRANTED: gettext_lazy(
        "{funder} has decided to grant the project “{project}” {amount}.\n\nThe money is paid from {account}.\n\n"
        "{justification}\n\nConditions: {conditions}"),
    Decision.Outcome.DECLINED: gettext_lazy(
        "{funder} has decided not to grant the project “{project}”.\n\n{justification}"),
    Decision.Outcome.PRELIMINARY: gettext_lazy(
        "{funder} finds the project “{project}” relevant for a later round and will come back to you.\n\n{justification}"),
}


def validate_letter_placeholders(text):
    validate_placeholders(text, PLACEHOLDERS)


def wording(*, outcome, language):
    """(subject, body, the funder's own stored wording or None) of the letter for ``outcome`` in ``language``."""
    return wording_of(LetterTemplate, language=language, standard=(DEFAULT_SUBJECT, DEFAULT_BODY[outcome]),
                      outcome=outcome)


def project_period(application):
    """"1 September 2023 – 31 October 2026" from the form's questions marked as the project's start and end."""
    dates = {}
    for question in Question.objects.filter(section__call=application.call, kind=Question.Kind.DATE):
        marked = (question.settings or {}).get("project_date")
        if marked and application.answers.get(key(question)):
            dates[marked] = when(date.fromisoformat(application.answers[key(question)]))
    return " – ".join(dates[end] for end in (Question.PROJECT_START, Question.PROJECT_END) if end in dates)


def justification(decision):
    """A screening's reason for decisions taken at screening; else the decision's own or the panel's, per funder."""
    funder = decision.application.funder
    if not decision.from_screening and funder.letter_justification == funder.Justification.PANEL:
        consensus = getattr(decision.application, "consensus", None)
        if consensus is not None and consensus.comment:
            return consensus.comment
    return decision.reason


def values(decision):
    application = decision.application
    call = application.call
    profile = getattr(application.applicant, "applicant_profile", None)
    organisation = ", ".join(part for part in (getattr(profile, "organisation", ""), getattr(profile, "unit", "")) if part)
    return {
        "applicant": str(application.applicant), "organisation": organisation, "project": application.title,
        "case_number": application.case_number, "call": call.display_title, "funder": application.funder.name,
        "amount": money(decision.amount, call.currency), "amount_requested": money(application.amount_requested, call.currency),
        "decision_date": when(timezone.localdate(decision.updated)),
        "justification": justification(decision), "conditions": decision.conditions, "account": decision.account,
        "project_period": project_period(application),
    }


def financing(application):
    """The application's financing table (financiers × years, with totals), if its form has one."""
    for question in Question.objects.filter(section__call=application.call, kind=Question.Kind.BUDGET):
        if (question.settings or {}).get("financiers"):
            return budget_table(question, application.answers.get(key(question)))
    return None


def render_pdf(*, funder, decision, application, call, body, filled, financing_table):
    """The letter on the funder's letterhead as PDF bytes (call inside the reader's language)."""
    html = render_to_string("review/letters/decision.html", {
        "decision": decision, "application": application, "call": call, "funder": funder, "body": body,
        "financing": financing_table, "values": filled, "logo": embedded_image(funder.logo) if funder.logo else None,
        "distribution": [line.strip() for line in funder.letter_distribution.splitlines() if line.strip()],
    })
    return pdf_from_html(html)


def letter(decision, language):
    """(subject, body text, PDF bytes) of the decision letter in ``language``."""
    with translation.override(language):
        subject_template, body_template, _own = wording(outcome=decision.outcome, language=language)
        filled = values(decision)
        subject, body = fill(subject_template, filled), fill(body_template, filled)
        application = decision.application
        pdf = render_pdf(funder=application.funder, decision=decision, application=application, call=application.call,
                         body=body, filled=filled, financing_table=financing(application))
    return subject, body, pdf


def letter_pdf(decision, language):
    """The decision letter in ``language`` as PDF bytes: what the applicant downloads (applications.letters)."""
    _subject, _body, pdf = letter(decision, language)
    return pdf


@transaction.atomic
def decision_letter_prepare(*, decision: Decision) -> OutboxEmail | None:
    """Write the letter into the reserved email, which becomes a draft for administrators to check and send.

    Running twice does nothing more: only an email still being prepared is written.
    """
    application = decision.application
    email = OutboxEmail.objects.select_for_update().filter(
        occasion=letter_occasion(application.pk), status=OutboxEmail.Status.PREPARING).first()
    if email is None:
        return None
    language = application.applicant.language or application.funder.default_language
    subject, body, pdf = letter(decision, language)
    with translation.override(language):
        email.html = email_html(funder=application.funder, subject=subject, body=body)
    email.subject, email.body, email.status = subject, body, OutboxEmail.Status.DRAFT
    email.attachment_name = f"{application.case_number or application.pk}-decision.pdf"
    email.attachment.save(email.attachment_name, ContentFile(pdf), save=False)
    email.save()
    return email


def sample_letter_pdf(*, funder, outcome, language, body):
    """The letter ``body`` (a wording) filled with sample values on ``funder``'s letterhead: the editor's preview."""
    with translation.override(language):
        filled = {**SAMPLE, "funder": funder.name}
        decision = Decision(outcome=outcome, amount=Decimal(1245497) if outcome == Decision.Outcome.GRANTED else None,
                            account=SAMPLE["account"])
        table = {"rows": [("Region Norrbotten 1:1-medel", [], Decimal(1245497)),
                          ("Tillväxtverket", [], Decimal(8000000)), ("Umeå universitet", [], Decimal(2473498))],
                 "total": Decimal(11718995)}
        return render_pdf(funder=funder, decision=decision, application=Application(title=SAMPLE["project"]),
                          call=Call(currency=funder.currency), body=fill(body, filled), filled=filled,
                          financing_table=table)


SAMPLE = {
    "applicant": "Sofia Ekström", "organisation": "Umeå universitet, Innovationskontoret",
    "project": "Stöd och organisation för innovation inom Life Science och hälsa i norra Sverige",
    "case_number": "RN-RU-2026-0001", "call": "Medfinansiering av regionala utvecklingsprojekt",
    "funder": "Region Norrbotten", "amount": "1 245 497 kr", "amount_requested": "1 245 497 kr",
    "decision_date": "2026-11-23", "justification": "Projektet är förenligt med den regionala utvecklingsstrategin.",
    "conditions": "Region Norrbottens villkor för regionala projektstöd ska följas.", "account": "statligt anslag 1:1",
    "project_period": "2023-09-01 – 2026-10-31",
}


def letter_template_save(*, funder: Funder, outcome: str, language: str, subject: str, body: str,
                         by: User | None = None) -> LetterTemplate:
    """Store the funder's wording for an outcome and language, once every placeholder is known."""
    validate_letter_placeholders(subject)
    validate_letter_placeholders(body)
    template, _created = LetterTemplate.objects.update_or_create(
        funder=funder, outcome=outcome, language=language,
        defaults={"subject": subject.strip(), "body": body, "updated_by": by})
    return template


def letter_template_reset(*, funder: Funder, outcome: str, language: str) -> None:
    """Go back to the standard wording."""
    LetterTemplate.objects.filter(funder=funder, outcome=outcome, language=language).delete()
