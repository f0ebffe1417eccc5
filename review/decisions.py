"""Services for decisions: record and revise them within the budget, then release them."""

from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.letters import letter_occasion
from applications.lifecycle import State
from applications.models import Application, Collaborator
from applications.services import application_transition
from calls.models import Call, Period, Stage
from fundportal.models import OutboxEmail, User
from fundportal.templatetags.portal import money
from review.audit import decision_recorded
from review.models import Assignment, Consensus, Decision, DecisionChange
from review.selectors import Ranking, RankingFilter
from review.tasks import prepare_decision_letter

JUSTIFICATION_MISSING = gettext_lazy("Give the justification; the applicant will read it.")
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
    other, and two people deciding one application leave one decision and both versions in its history; then the
    application, whose state is checked after the lock. Refused to someone with a conflict of interest (``conflicted``).
    """
    call = _locked_call(application.call_id)
    application = (Application.objects.select_for_update(of=("self",)).select_related("current_stage", "funder")
                   .annotate(decider_conflicted=conflicted(by)).get(pk=application.pk))
    if application.state != State.IN_REVIEW or application.current_stage.kind not in Stage.Kind.PAST_SCREENING:
        raise ValidationError(_("Only applications past screening can be decided."))
    if application.decider_conflicted:
        raise ValidationError(_("You have a conflict of interest with this application (you applied for it or "
                                "declared a conflict as its reviewer); someone else must decide it."))
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
        errors["reason"] = JUSTIFICATION_MISSING
    if errors:
        raise ValidationError(errors)
    values = {"outcome": outcome, "amount": amount if outcome == Decision.Outcome.GRANTED else None,
              "conditions": conditions.strip(), "account": account.strip(), "reason": reason.strip(),
              "budget_override": budget_override.strip()}
    decision = existing or Decision(funder=application.funder, application=application)  # the call's lock keeps it one
    for name, value in {**values, "decided_by": by}.items():
        setattr(decision, name, value)
    decision.save()
    DecisionChange.objects.create(funder=application.funder, decision=decision, by=by,
                                  values={key: str(value) if value is not None else None for key, value in values.items()})
    decision_recorded(decision=decision, by=by, revised=existing is not None)
    return decision


def conflicted(user: User) -> ExpressionWrapper:
    """Whether ``user`` applied for an application (as its applicant or a co-applicant) or declared a conflict of
    interest with it as a reviewer, so that they may not decide it: an expression over applications."""
    return ExpressionWrapper(
        Q(applicant=user) | Q(Exists(Collaborator.objects.filter(application=OuterRef("pk"), user=user)))
        | Q(Exists(Assignment.objects.filter(application=OuterRef("pk"), reviewer=user, has_conflict=True))),
        output_field=BooleanField())


def decision_record_at_screening(*, application: Application, by: User, outcome: str, reason: str) -> Decision:
    """A screening that ends an application (screened out, or kept as preliminary) is its decision: the letter
    carries the screening's reason and goes out when the call's decisions are released."""
    decision, created = Decision.objects.update_or_create(
        funder=application.funder, application=application,
        defaults={"outcome": outcome, "reason": reason.strip(), "decided_by": by, "from_screening": True,
                  "amount": None, "conditions": "", "account": "", "budget_override": ""})
    DecisionChange.objects.create(funder=application.funder, decision=decision, by=by,
                                  values={"outcome": outcome, "reason": decision.reason, "from_screening": "True"})
    decision_recorded(decision=decision, by=by, revised=not created)
    return decision


# A bulk decision grants the applications above the funding line, or declines those below it.
BY_THE_LINE = (Decision.Outcome.GRANTED, Decision.Outcome.DECLINED)


def by_the_funding_line(ranking: Ranking, outcome: str, filter: RankingFilter = RankingFilter(),
                        among: Collection[int] | None = None) -> list[Application]:
    """The applications ``filter`` keeps on ``outcome``'s side of the funding line of ``ranking`` (a call's), in the
    ranking's order, each with its ``rank`` and decision: above the line to grant (all of them while everything fits
    the budget), below it to decline (none then); with ``among``, only those of these ids. Three queries, whatever
    their number."""
    line, _count = ranking.funding_line()
    places = ranking.shown(filter)
    if line is None:
        places = places if outcome == Decision.Outcome.GRANTED else places.none()
    else:
        places = places.filter(rank__lt=line.rank) if outcome == Decision.Outcome.GRANTED else places.filter(
            rank__gte=line.rank)
    among = None if among is None else set(among)
    places = [place for place in places if among is None or place["pk"] in among]
    applications = Application.objects.filter(pk__in=[place["pk"] for place in places]).select_related(
        "decision").defer("answers", "confidential")
    by_pk = {application.pk: application for application in applications}
    for place in places:
        by_pk[place["pk"]].rank = place["rank"]
    return [by_pk[place["pk"]] for place in places]


@dataclass
class BulkDecisions:
    """What a bulk decision did: the decisions recorded, and for each application refused its case number and why."""

    recorded: list[Decision] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


@transaction.atomic
def decisions_record_in_bulk(*, call: Call, by: User, outcome: str, filter: RankingFilter = RankingFilter(),
                             application_ids: Collection[int] | None = None, reason: str = "") -> BulkDecisions:
    """Grant (at the amount applied for) the applications of ``call`` above its funding line, or decline those below
    it with ``reason``; only those ``filter`` keeps and, when given, only those of ``application_ids`` (the list the
    administrator confirmed).

    The call is locked first, so the line is found, and each application checked, after every decision taken before
    has committed. Each decision is ``decision_record``'s, in its own savepoint: one refused leaves the others
    recorded. Refused, with the reason: an application asked for that is not on that side of the line now, one
    already decided, and whatever ``decision_record`` refuses. (``review.bulk_jobs`` does the same for a long list:
    the line once, then ``decisions_record_each`` turn by turn.)
    """
    bulk_decision_check(outcome=outcome, reason=reason)
    call = _locked_call(call.pk)
    beside, refused = by_the_line_of_those_asked(call=call, outcome=outcome, filter=filter,
                                                application_ids=application_ids)
    done = _decided_each(beside, by=by, outcome=outcome, reason=reason)
    done.refused[:0] = refused
    return done


def bulk_decision_check(*, outcome: str, reason: str) -> None:
    """Refuse a bulk decision that is neither a grant nor a decline, or a decline without its justification."""
    if outcome not in BY_THE_LINE:
        raise ValidationError(_("Applications can be granted or declined in bulk, nothing else."))
    if outcome == Decision.Outcome.DECLINED and not reason.strip():
        raise ValidationError({"reason": JUSTIFICATION_MISSING})


def by_the_line_of_those_asked(*, call: Call, outcome: str, filter: RankingFilter = RankingFilter(),
                               application_ids: Collection[int] | None = None):
    """(the applications of ``application_ids`` — all when None — on ``outcome``'s side of ``call``'s funding line
    now, in the order asked; [(case number, why)] of the others). Four queries; lock the call first."""
    asked = None if application_ids is None else list(dict.fromkeys(application_ids))
    beside = {application.pk: application
              for application in by_the_funding_line(Ranking(call), outcome, filter, among=asked)}
    asked = list(beside) if asked is None else asked
    elsewhere = case_numbers_in(call, [pk for pk in asked if pk not in beside])
    return ([beside[pk] for pk in asked if pk in beside],
            [(elsewhere.get(pk, f"#{pk}"), str(NOT_BESIDE[outcome])) for pk in asked if pk not in beside])


@transaction.atomic
def decisions_record_each(*, call: Call, by: User, outcome: str, application_ids: Collection[int],
                          reason: str = "") -> BulkDecisions:
    """Grant or decline each application of ``call`` among ``application_ids`` (found on that side of the line
    before, by ``by_the_line_of_those_asked``), as ``decisions_record_in_bulk`` does without finding the line again:
    the call locked, then each checked and recorded by ``decision_record``; an id that is not an application of the
    call is left out."""
    _locked_call(call.pk)
    applications = {application.pk: application for application in Application.objects.filter(
        call=call, pk__in=application_ids).select_related("decision").defer("answers", "confidential")}
    return _decided_each([applications[pk] for pk in application_ids if pk in applications], by=by,
                         outcome=outcome, reason=reason)


def _decided_each(applications, *, by, outcome, reason):
    """Each of ``applications`` (loaded with its decision after the call was locked) decided, or refused with why."""
    done = BulkDecisions()
    for application in applications:
        if hasattr(application, "decision"):
            done.refused.append((application.case_number, _("It is already decided: %(outcome)s.") % {
                "outcome": application.decision.get_outcome_display().lower()}))
        else:
            _record_one(done, application=application, by=by, outcome=outcome, reason=reason)
    return done


NOT_BESIDE = {Decision.Outcome.GRANTED: gettext_lazy("It is not above the funding line of this ranking."),
              Decision.Outcome.DECLINED: gettext_lazy("It is not below the funding line of this ranking.")}


def case_numbers_in(call, pks):
    """{pk: case number} of those of ``pks`` that are applications of ``call`` (one query)."""
    return dict(Application.objects.filter(call=call, pk__in=pks).values_list("pk", "case_number")) if pks else {}


def _record_one(done, *, application, by, outcome, reason):
    """``decision_record`` (its own savepoint: a refusal undoes only its own writes) noted in ``done``."""
    try:
        decision = decision_record(application=application, by=by, outcome=outcome, reason=reason,
                                   amount=application.amount_requested if outcome == Decision.Outcome.GRANTED
                                   else None)
    except ValidationError as error:
        done.refused.append((application.case_number, " ".join(error.messages)))
    else:
        done.recorded.append(decision)


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
