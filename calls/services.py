"""Writes on calls. Views, tasks and commands call these, nothing else."""

from collections.abc import Iterable, Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.audit import call_edited
from calls.models import (
    Call, CallChange, ChecklistItem, Criterion, EligibilityQuestion, Fund, Period, Question, Section, Stage, Subscriber,
)
from calls.notices import send_confirmation
from calls.tasks import announce_call
from calls.validation import (
    publication_gaps, validate_budget, validate_periods, validate_score_scale, validate_weights,
)
from fundportal.models import Funder, User, email_address

AUDITED_FIELDS = (
    "title", "summary", "description", "who_may_apply", "what_is_funded", "contact", "budget", "currency",
    "application_types", "themes", "eligible_cost_categories", "requires_manager_approval", "score_min", "score_max",
    "reviewers_per_application", "reviews_visible_after_own", "anonymous_to_panel", "reminder_days",
)


def record_change(call: Call, by: User | None, summary: str, changes: dict[str, list] | None = None) -> None:
    """Record an edit of a published call (drafts change freely)."""
    if call.published_at and by is not None:
        CallChange.objects.create(funder=call.funder, call=call, by=by, summary=summary[:500], changes=changes or {})
        call_edited(call=call, by=by, summary=summary)


def fund_save(*, funder: Funder, name: str, code: str, description: str = "", fund: Fund | None = None) -> Fund:
    """Create a fund, or rename one; its code goes into the case numbers of applications submitted from now on."""
    code = code.strip().upper()
    if code and not code.isalnum():
        raise ValidationError({"code": _("Use letters and digits only, e.g. IF.")})
    if Fund.objects.filter(name__iexact=name.strip()).exclude(pk=getattr(fund, "pk", None)).exists():
        raise ValidationError({"name": _("There is already a fund with this name.")})
    fund = fund or Fund(funder=funder)
    fund.name, fund.code, fund.description = name.strip(), code, description.strip()
    fund.save()
    return fund


def _validate(call):
    validate_budget(call.budget)
    validate_score_scale(call.score_min, call.score_max)


@transaction.atomic
def call_create(*, fund: Fund, slug: str, title: dict[str, str], budget: Decimal, currency: str,
                application_types: list[str], **fields: Any) -> Call:
    call = Call(funder=fund.funder, fund=fund, slug=slug, title=title, budget=budget, currency=currency,
                application_types=application_types, **fields)
    _validate(call)
    call.save()
    return call


def _recorded(value):
    """A field value as the history stores it: texts, lists and yes/no as they are, numbers as text."""
    if value is None or isinstance(value, (bool, str, list, dict)):
        return value
    return str(value)


@transaction.atomic
def call_update(*, call: Call, by: User | None, **fields: Any) -> Call:
    """Change a call's fields; on a published call, record who changed what (the values before and after)."""
    before = {name: getattr(call, name) for name in fields}
    for name, value in fields.items():
        setattr(call, name, value)
    _validate(call)
    changed = {name: [_recorded(before[name]), _recorded(value)] for name, value in fields.items()
               if _recorded(before[name]) != _recorded(value)}
    if not changed:
        return call
    call.save()
    record_change(call, by, ", ".join(sorted(changed)), changed)
    return call


@transaction.atomic
def call_set_periods(*, call: Call, periods: Iterable[Mapping[str, Any]], by: User | None = None) -> list[Period]:
    """Make the call's periods ``periods``: dicts of Period fields; one naming an ``id`` changes that period."""
    validate_periods([(period["opens_at"], period["closes_at"]) for period in periods])
    kept, removed, changed = _plan_parts(call, Period, call.periods, periods, ordered=False)
    if not changed:
        return kept
    removed = call.periods.filter(pk__in=removed)
    if removed.filter(applications__isnull=False).exists():
        raise ValidationError(_("A period that has applications cannot be removed."))
    removed.delete()
    for period in kept:
        period.save()
    record_change(call, by, "periods")
    return list(call.periods.all())


def _as_row(item, keys):
    """A part's field values from a dict (which may name the ``id`` of the part it keeps) or a tuple in ``keys`` order."""
    return dict(item) if isinstance(item, dict) else dict(zip(keys, item))


def _plan_parts(call, model, related, rows, ordered=True):
    """What making the call's parts ``rows`` takes: (the parts to keep, in order, the ids to remove, whether any changes).

    A row naming the ``id`` of one of the call's parts is that part, changed in place, so what refers to it (scores,
    screening results, assignments, applications) stays with it; rows without one are new parts; parts no row names go.
    ``ordered`` parts take their row's position.
    """
    existing = {part.pk: part for part in related.all()}
    kept, changed = [], False
    for position, row in enumerate(rows):
        fields = {**row, "position": position} if ordered else dict(row)
        part = existing.pop(fields.pop("id", None), None) or model(funder=call.funder, call=call)
        if part.pk is None or any(getattr(part, name) != value for name, value in fields.items()):
            changed = True
            for name, value in fields.items():
                setattr(part, name, value)
        kept.append(part)
    return kept, list(existing), changed or bool(existing)


def _save_parts(call, by, summary, related, kept, removed):
    related.filter(pk__in=removed).delete()
    # Out of the way first: a part may take the position another one leaves (stages have one per position).
    related.filter(pk__in=[part.pk for part in kept if part.pk]).update(position=F("position") + 10_000)
    for part in kept:
        part.save()
    record_change(call, by, summary)


def _sync_parts(call, by, summary, model, related, rows):
    """Make one list of the call's parts (criteria, stages, …) ``rows``; nothing is written when that is what is stored."""
    kept, removed, changed = _plan_parts(call, model, related, rows)
    if changed:
        _save_parts(call, by, summary, related, kept, removed)


@transaction.atomic
def call_set_criteria(*, call: Call, criteria: Iterable[tuple | Mapping[str, Any]], by: User | None = None) -> None:
    """Make the criteria ``criteria``: (name dict, weight) pairs or dicts of Criterion fields; weights add up to 100."""
    rows = [_as_row(criterion, ("name", "weight")) for criterion in criteria]
    validate_weights([row["weight"] for row in rows])
    _sync_parts(call, by, "criteria", Criterion, call.criteria, rows)


@transaction.atomic
def call_set_pipeline(*, call: Call, stages: Iterable[tuple | Mapping[str, Any]], by: User | None = None) -> None:
    """Set the review pipeline: (kind, name) pairs or dicts of Stage fields, in order. Not once applications are in review."""
    if not stages:
        raise ValidationError(_("A call needs at least one review stage."))
    rows = [_as_row(stage, ("kind", "name")) for stage in stages]
    kept, removed, changed = _plan_parts(call, Stage, call.stages, rows)
    if not changed:
        return
    if call.applications.filter(current_stage__isnull=False).exists():
        raise ValidationError(_("The review stages cannot change while applications are in review."))
    _save_parts(call, by, "pipeline", call.stages, kept, removed)


@transaction.atomic
def call_set_eligibility(*, call: Call, questions: Iterable[Mapping[str, Any]], by: User | None = None) -> None:
    """Make the eligibility questions ``questions``: dicts of text, eligible_answer and reason_if_not (and ``id``)."""
    _sync_parts(call, by, "eligibility", EligibilityQuestion, call.eligibility_questions, questions)


@transaction.atomic
def call_set_checklist(*, call: Call, items: Iterable[dict[str, Any]], by: User | None = None) -> None:
    """Make the pre-screening checklist ``items``: texts ({language: text}) or dicts of ``text`` and ``id``."""
    rows = [item if "text" in item else {"text": item} for item in items]
    _sync_parts(call, by, "checklist", ChecklistItem, call.checklist, rows)


def call_publish(*, call: Call, by: User | None) -> Call:
    """Make a complete call public (refused with each missing part named); subscribers are told once."""
    gaps = publication_gaps(call)
    if gaps:
        raise ValidationError(gaps)
    now = timezone.now()
    with transaction.atomic():
        Call.objects.filter(pk=call.pk, published_at__isnull=True).update(published_at=now)
        first_time = Call.objects.filter(pk=call.pk, announced_at__isnull=True).update(announced_at=now)
        if first_time:
            announce_call.enqueue(call.funder, call_id=call.pk)
    call.refresh_from_db()
    return call


def call_unpublish(*, call: Call, by: User | None) -> Call:
    Call.objects.filter(pk=call.pk).update(published_at=None)
    call.refresh_from_db()
    return call


def call_archive(*, call: Call, by: User | None) -> Call:
    Call.objects.filter(pk=call.pk).update(archived_at=timezone.now())
    call.refresh_from_db()
    return call


def call_unarchive(*, call: Call, by: User | None) -> Call:
    """Undo an archiving: the call is back with the status its periods and publication give it."""
    Call.objects.filter(pk=call.pk).update(archived_at=None)
    call.refresh_from_db()
    return call


@transaction.atomic
def call_copy(*, call: Call, slug: str, title: dict[str, str], shift: timedelta = timedelta(days=365)) -> Call:
    """A new draft call like ``call`` — texts, form, eligibility, criteria, pipeline — its periods moved by ``shift``."""
    fields = {name: getattr(call, name) for name in AUDITED_FIELDS if name != "title"}
    copy = call_create(fund=call.fund, slug=slug, title=title, **fields)
    Period.objects.bulk_create(
        Period(funder=call.funder, call=copy, name=period.name, opens_at=period.opens_at + shift,
               closes_at=period.closes_at + shift,
               decision_by=period.decision_by + shift if period.decision_by else None,
               decision_week=period.decision_week)
        for period in call.periods.all()
    )
    call_set_criteria(call=copy, criteria=[
        {"name": criterion.name, "weight": criterion.weight, "guidance": criterion.guidance,
         "score_guidance": criterion.score_guidance}
        for criterion in call.criteria.all()
    ])
    call_set_checklist(call=copy, items=[item.text for item in call.checklist.all()])
    stages = [(stage.kind, stage.name) for stage in call.stages.all()]
    if stages:
        call_set_pipeline(call=copy, stages=stages)
    call_set_eligibility(call=copy, questions=[
        {"text": question.text, "eligible_answer": question.eligible_answer, "reason_if_not": question.reason_if_not}
        for question in call.eligibility_questions.all()
    ])
    for section in call.sections.prefetch_related("questions"):
        new_section = Section.objects.create(funder=call.funder, call=copy, position=section.position, title=section.title)
        Question.objects.bulk_create(
            Question(funder=call.funder, section=new_section, position=question.position, kind=question.kind,
                     label=question.label, help_text=question.help_text, required=question.required,
                     settings=question.settings)
            for question in section.questions.all()
        )
    return copy


def subscriber_subscribe(*, funder: Funder, email: str, language: str) -> Subscriber:
    """Start a subscription; the confirmation email is sent once per address."""
    subscriber, _created = Subscriber.objects.get_or_create(
        funder=funder, email=email_address(email), defaults={"language": language}
    )
    if subscriber.confirmed_at is None:
        send_confirmation(subscriber)
    return subscriber


def subscriber_confirm(*, subscriber: Subscriber) -> Subscriber:
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
    return subscriber


def subscriber_cancel(*, subscriber: Subscriber) -> None:
    subscriber.delete()
