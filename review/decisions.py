"""Services for decisions: record and revise them within the budget, then release them."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.letters import letter_occasion
from applications.lifecycle import State
from applications.models import Application
from applications.services import application_transition
from calls.models import Call, Period, Stage
from fundportal.models import OutboxEmail, User
from fundportal.templatetags.portal import money
from review.models import Consensus, Decision, DecisionChange
from review.tasks import prepare_decision_letter

ACTIONS = {Decision.Outcome.GRANTED: "grant", Decision.Outcome.DECLINED: "decline",
           Decision.Outcome.PRELIMINARY: "mark_preliminary"}


def _locked_call(call_id):
    return Call.objects.select_for_update().get(pk=call_id)


def granted_sum(call, excluding=None):
    decisions = Decision.objects.filter(application__call=call, outcome=Decision.Outcome.GRANTED)
    if excluding is not None:
        decisions = decisions.exclude(application=excluding)
    return decisions.aggregate(total=Sum("amount"))["total"] or Decimal(0)


@transaction.atomic
def decision_record(*, application: Application, by: User, outcome: str, amount: Decimal | None = None,
                    conditions: str = "", account: str = "", reason: str = "", budget_override: str = "") -> Decision:
    """Record or revise the decision on ``application``; refused once released.

    The call is locked first, so decisions taken at the same moment are checked against the budget one after the
    other, and two people deciding one application leave one decision and both versions in its history.
    """
    call = _locked_call(application.call_id)
    application = Application.objects.select_related("current_stage").get(pk=application.pk)
    if application.state != State.IN_REVIEW or application.current_stage.kind not in Stage.Kind.PAST_SCREENING:
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


def decision_record_at_screening(*, application: Application, by: User, outcome: str, reason: str) -> Decision:
    """A screening that ends an application (screened out, or kept as preliminary) is its decision: the letter
    carries the screening's reason and goes out when the call's decisions are released."""
    decision, _created = Decision.objects.update_or_create(
        funder=application.funder, application=application,
        defaults={"outcome": outcome, "reason": reason.strip(), "decided_by": by, "from_screening": True,
                  "amount": None, "conditions": "", "account": "", "budget_override": ""})
    DecisionChange.objects.create(funder=application.funder, decision=decision, by=by,
                                  values={"outcome": outcome, "reason": decision.reason, "from_screening": "True"})
    return decision


def _unreleased(call, period=None):
    decisions = Decision.objects.filter(application__call=call, released_at__isnull=True)
    return decisions.filter(application__period=period) if period is not None else decisions


def unreleased_decisions(call, period=None):
    """How many decisions of ``call`` (or one period) wait to be released, and how many were taken at screening."""
    return _unreleased(call, period).aggregate(
        total=Count("pk"), screening=Count("pk", filter=Q(from_screening=True)))


@transaction.atomic
def decisions_release(*, call: Call, by: User, period: Period | None = None) -> int:
    """Make every unreleased decision of ``call`` (or of one of its periods) final; workers then write each letter
    into a draft email.

    A panel's decision moves the application to its outcome now; one taken at screening moved it then.
    """
    call = _locked_call(call.pk)
    released = 0
    for decision in _unreleased(call, period).select_related("application__applicant", "application__funder"):
        application = decision.application
        if not decision.from_screening:
            if application.current_stage.kind != Stage.Kind.DECISION:  # decisions are made at the decision stage
                application = application_transition(application=application, action="to_decision", by=by)
            application_transition(application=application, action=ACTIONS[decision.outcome], by=by,
                                   comment=decision.reason)
        decision.released_at = timezone.now()
        decision.save(update_fields=["released_at"])
        decision_letter_queue(decision)
        released += 1
    return released


def decision_letter_queue(decision: Decision) -> OutboxEmail:
    """Reserve the applicant's decision email in the outbox ("being prepared") and have a worker write its letter.

    The row exists before Celery sees the job, so a lost job is found again (review.tasks.decision_letters_requeue).
    """
    application = decision.application
    email, _created = OutboxEmail.objects.get_or_create(
        funder=application.funder, occasion=letter_occasion(application.pk),
        defaults={"recipient": application.applicant.email, "subject": application.case_number or application.title,
                  "body": "", "kind": "decision", "batch": f"decisions:{application.call_id}",
                  "status": OutboxEmail.Status.PREPARING})
    prepare_decision_letter.enqueue(application.funder, decision_id=decision.pk)
    return email



def consensus_record(*, application: Application, by: User, score: Decimal | None, comment: str,
                    position: int | None) -> Consensus:
    """The panel meeting's consensus on ``application`` and its place in the order."""
    call = application.call
    if score is not None and not call.score_min <= score <= call.score_max:
        raise ValidationError({"score": _("Scores go from %(low)s to %(high)s.") % {"low": call.score_min, "high": call.score_max}})
    consensus, _created = Consensus.objects.update_or_create(
        funder=application.funder, application=application,
        defaults={"score": score, "comment": comment.strip(), "position": position, "by": by})
    return consensus
