"""What the audit trail keeps of the assessment (``fundportal.audit``): decisions and each revision of them, reviewers
assigned, and the reviewers' declarations of impartiality."""

from django.utils.translation import gettext as _

from applications.audit import application_label
from fundportal.audit import Kind, audit_record, register_sentence
from fundportal.templatetags.portal import money
from review.models import Decision


def decision_recorded(*, decision, by, revised):
    """A decision recorded (``revised``: a new version of one recorded before), with what it says."""
    application = decision.application
    audit_record(kind=Kind.DECISION_REVISED if revised else Kind.DECISION_RECORDED, actor=by, obj=decision,
                 label=application_label(application), application_id=application.pk,
                 details={"outcome": decision.outcome, "currency": application.call.currency,
                          "amount": str(decision.amount) if decision.amount is not None else None})


def reviewer_assigned(*, assignment, by):
    application = assignment.application
    audit_record(kind=Kind.REVIEWER_ASSIGNED, actor=by, obj=assignment, label=application_label(application),
                 application_id=application.pk, details={"reviewer": assignment.reviewer.email})


def impartiality_declared(*, assignment):
    application = assignment.application
    audit_record(kind=Kind.IMPARTIALITY_DECLARED, actor=assignment.reviewer, obj=assignment,
                 label=application_label(application), application_id=application.pk,
                 details={"conflict": assignment.has_conflict})


def _decision(details):
    outcome = Decision.Outcome(details["outcome"]).label
    if details.get("amount"):
        return _("%(outcome)s, %(amount)s") % {"outcome": outcome,
                                               "amount": money(details["amount"], details["currency"])}
    return str(outcome)


register_sentence(Kind.DECISION_RECORDED, lambda details: _("Decided: %(decision)s") % {"decision": _decision(details)})
register_sentence(Kind.DECISION_REVISED,
                  lambda details: _("Revised the decision: %(decision)s") % {"decision": _decision(details)})
register_sentence(Kind.REVIEWER_ASSIGNED,
                  lambda details: _("Assigned %(reviewer)s to review") % {"reviewer": details["reviewer"]})
register_sentence(Kind.IMPARTIALITY_DECLARED, lambda details: (
    _("Declared a conflict of interest") if details["conflict"] else _("Declared no conflict of interest")))
