"""Decision letters: the funder's wording with {placeholders}, rendered as a PDF on its letterhead."""

import string

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from weasyprint import HTML

from applications.answers import budget_table, key
from calls.models import Question
from fundportal.templatetags.portal import money
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
    "justification": gettext_lazy("the justification"),
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


def validate_placeholders(text):
    """Refuse unknown or malformed {placeholders}, naming them, so no letter goes out with a blank."""
    try:
        names = [name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name is not None]
    except ValueError as error:
        raise ValidationError(_("The text has an unmatched “{” or “}”: %(error)s") % {"error": error}) from error
    unknown = sorted({name for name in names if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(_("Unknown placeholder: %(names)s. Use one of: %(known)s.") % {
            "names": ", ".join(f"{{{name}}}" for name in unknown),
            "known": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)})


def wording(decision, language):
    """(subject, body) of the funder's template for the outcome and language, or the built-in wording."""
    template = LetterTemplate.objects.filter(outcome=decision.outcome, language=language).first()
    if template:
        return template.subject, template.body
    with translation.override(language):
        return str(DEFAULT_SUBJECT), str(DEFAULT_BODY[decision.outcome])


def values(decision):
    application = decision.application
    call = application.call
    profile = getattr(application.applicant, "applicant_profile", None)
    organisation = ", ".join(part for part in (getattr(profile, "organisation", ""), getattr(profile, "unit", "")) if part)
    return {
        "applicant": str(application.applicant), "organisation": organisation, "project": application.title,
        "case_number": application.case_number, "call": call.display_title, "funder": application.funder.name,
        "amount": money(decision.amount, call.currency), "amount_requested": money(application.amount_requested, call.currency),
        "decision_date": formats.date_format(timezone.localdate(decision.updated), "DATE_FORMAT"),
        "justification": decision.reason, "conditions": decision.conditions, "account": decision.account,
    }


def financing(application):
    """The application's financing table (financiers × years, with totals), if its form has one."""
    for question in Question.objects.filter(section__call=application.call, kind=Question.Kind.BUDGET):
        if (question.settings or {}).get("financiers"):
            return budget_table(question, application.answers.get(key(question)))
    return None


def letter(decision, language):
    """(subject, body text, PDF bytes) of the decision letter in ``language``."""
    with translation.override(language):
        subject_template, body_template = wording(decision, language)
        filled = values(decision)
        subject, body = subject_template.format_map(filled), body_template.format_map(filled)
        application = decision.application
        html = render_to_string("review/letters/decision.html", {
            "decision": decision, "application": application, "call": application.call, "funder": application.funder,
            "body": body, "financing": financing(application), "values": filled,
            "distribution": [line.strip() for line in application.funder.letter_distribution.splitlines() if line.strip()],
        })
    return subject, body, HTML(string=html).write_pdf()


SAMPLE = {
    "applicant": "Sofia Ekström", "organisation": "Umeå universitet, Innovationskontoret",
    "project": "Stöd och organisation för innovation inom Life Science och hälsa i norra Sverige",
    "case_number": "RN-RU-2026-0001", "call": "Medfinansiering av regionala utvecklingsprojekt",
    "funder": "Region Norrbotten", "amount": "1 245 497 kr", "amount_requested": "1 245 497 kr",
    "decision_date": "2026-11-23", "justification": "Projektet är förenligt med den regionala utvecklingsstrategin.",
    "conditions": "Region Norrbottens villkor för regionala projektstöd ska följas.", "account": "statligt anslag 1:1",
}


def letter_template_save(*, funder, outcome, language, subject, body):
    """Store the funder's wording for an outcome and language, once every placeholder is known."""
    validate_placeholders(subject)
    validate_placeholders(body)
    template, _created = LetterTemplate.objects.update_or_create(
        funder=funder, outcome=outcome, language=language, defaults={"subject": subject.strip(), "body": body})
    return template
