"""Services for decisions: record and revise them within the budget, then release them."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.lifecycle import State
from applications.services import application_transition
from fundportal.templatetags.portal import money
from review.models import Consensus, Decision, DecisionChange, Stage

ACTIONS = {Decision.Outcome.GRANTED: "grant", Decision.Outcome.DECLINED: "decline",
           Decision.Outcome.PRELIMINARY: "mark_preliminary"}


def granted_sum(call, excluding=None):
    decisions = Decision.objects.filter(application__call=call, outcome=Decision.Outcome.GRANTED)
    if excluding is not None:
        decisions = decisions.exclude(application=excluding)
    return decisions.aggregate(total=Sum("amount"))["total"] or Decimal(0)


@transaction.atomic
def decision_record(*, application, by, outcome, amount=None, conditions="", account="", reason="", budget_override=""):
    """Record or revise the decision on ``application``; refused once released."""
    call = application.call
    if application.state != State.IN_REVIEW or application.current_stage.kind not in (
            Stage.Kind.PANEL, Stage.Kind.DIALOGUE, Stage.Kind.DECISION):
        raise ValidationError(_("Only applications past screening can be decided."))
    existing = Decision.objects.filter(application=application).first()
    if existing and existing.released_at:
        raise ValidationError(_("The decision is released and can no longer change."))
    errors = {}
    if outcome == Decision.Outcome.GRANTED:
        if not amount or amount <= 0:
            errors["amount"] = _("Give the amount granted.")
        elif application.amount_requested and amount > application.amount_requested:
            errors["amount"] = _("The amount granted may not exceed the %(requested)s applied for.") % {
                "requested": money(application.amount_requested, call.currency)}
        else:
            total = granted_sum(call, excluding=application) + amount
            if total > call.budget and not budget_override.strip():
                errors["budget_override"] = _(
                    "Granting this brings the call to %(total)s, above its budget of %(budget)s. "
                    "Say why the budget may be exceeded to go ahead.") % {
                    "total": money(total, call.currency), "budget": money(call.budget, call.currency)}
    elif not reason.strip():
        errors["reason"] = _("Give the justification; the applicant will read it.")
    if errors:
        raise ValidationError(errors)
    values = {"outcome": outcome, "amount": amount if outcome == Decision.Outcome.GRANTED else None,
              "conditions": conditions.strip(), "account": account.strip(), "reason": reason.strip(),
              "budget_override": budget_override.strip()}
    decision, _created = Decision.objects.update_or_create(
        funder=application.funder, application=application, defaults={**values, "decided_by": by})
    DecisionChange.objects.create(funder=application.funder, decision=decision, by=by,
                                  values={key: str(value) if value is not None else None for key, value in values.items()})
    return decision


def decision_record_at_screening(*, application, by, outcome, reason):
    """A screening that ends an application (screened out, or kept as preliminary) is its decision: the letter
    carries the screening's reason and goes out when the call's decisions are released."""
    decision, _created = Decision.objects.update_or_create(
        funder=application.funder, application=application,
        defaults={"outcome": outcome, "reason": reason.strip(), "decided_by": by, "from_screening": True,
                  "amount": None, "conditions": "", "account": "", "budget_override": ""})
    DecisionChange.objects.create(funder=application.funder, decision=decision, by=by,
                                  values={"outcome": outcome, "reason": decision.reason, "from_screening": "True"})
    return decision


def unreleased_decisions(call):
    """How many decisions of ``call`` wait to be released, and how many of them were taken at screening."""
    return Decision.objects.filter(application__call=call, released_at__isnull=True).aggregate(
        total=Count("pk"), screening=Count("pk", filter=Q(from_screening=True)))


@transaction.atomic
def decisions_release(*, call, by):
    """Make every unreleased decision of ``call`` final and draft its letter.

    A panel's decision moves the application to its outcome now; one taken at screening moved it then.
    """
    released = 0
    for decision in Decision.objects.filter(application__call=call, released_at__isnull=True).select_related("application"):
        application = decision.application
        if not decision.from_screening:
            while application.current_stage.kind != Stage.Kind.DECISION:  # decisions are made at the decision stage
                application = application_transition(application=application, action="advance", by=by)
            application_transition(application=application, action=ACTIONS[decision.outcome], by=by,
                                   comment=decision.reason)
        decision.released_at = timezone.now()
        decision.save(update_fields=["released_at"])
        decision_letter_draft(decision)
        released += 1
    return released


def decision_letter_draft(decision):
    """The applicant's decision email, letter attached, as a draft in the outbox for administrators to check and send."""
    from fundportal.services import email_queue
    from review.letters import letter

    application = decision.application
    language = application.applicant.language or application.funder.default_language
    subject, body, pdf = letter(decision, language)
    with translation.override(language):
        return email_queue(funder=application.funder, recipient=application.applicant.email, subject=subject, body=body,
                           kind="decision", occasion=f"decision:{application.pk}", draft=True,
                           batch=f"decisions:{application.call_id}",
                           attachment=(f"{application.case_number or application.pk}-decision.pdf", pdf))


def consensus_record(*, application, by, score, comment, position):
    """The panel meeting's consensus on ``application`` and its place in the order."""
    call = application.call
    if score is not None and not call.score_min <= score <= call.score_max:
        raise ValidationError({"score": _("Scores go from %(low)s to %(high)s.") % {"low": call.score_min, "high": call.score_max}})
    consensus, _created = Consensus.objects.update_or_create(
        funder=application.funder, application=application,
        defaults={"score": score, "comment": comment.strip(), "position": position, "by": by})
    return consensus
