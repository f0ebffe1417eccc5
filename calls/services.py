"""Writes on calls. Views, tasks and commands call these, nothing else."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import Call, CallChange, Criterion, EligibilityQuestion, Period, Question, Section
from calls.validation import validate_budget, validate_periods, validate_score_scale, validate_weights
from review.models import ChecklistItem, Stage

AUDITED_FIELDS = (
    "title", "summary", "description", "who_may_apply", "what_is_funded", "contact", "budget", "currency",
    "application_types", "themes", "eligible_cost_categories", "requires_manager_approval", "score_min", "score_max",
    "reviewers_per_application", "reviews_visible_after_own", "anonymous_to_panel", "reminder_days",
)


def record_change(call, by, summary, changes=None):
    """Record an edit of a published call (drafts change freely)."""
    if call.published_at and by is not None:
        CallChange.objects.create(funder=call.funder, call=call, by=by, summary=summary[:500], changes=changes or {})


def fund_save(*, funder, name, code, description="", fund=None):
    """Create a fund, or rename one; its code goes into the case numbers of applications submitted from now on."""
    from calls.models import Fund

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
def call_create(*, fund, slug, title, budget, currency, application_types, **fields):
    call = Call(funder=fund.funder, fund=fund, slug=slug, title=title, budget=budget, currency=currency,
                application_types=application_types, **fields)
    _validate(call)
    call.save()
    return call


@transaction.atomic
def call_update(*, call, by, **fields):
    """Change a call's fields; on a published call, record who changed what."""
    before = {name: getattr(call, name) for name in fields}
    for name, value in fields.items():
        setattr(call, name, value)
    _validate(call)
    call.save()
    changed = {name: [str(before[name]), str(value)] for name, value in fields.items() if before[name] != value}
    if changed:
        record_change(call, by, ", ".join(sorted(changed)), changed)
    return call


@transaction.atomic
def call_set_periods(*, call, periods, by=None):
    """Replace the call's periods with ``periods`` (dicts of Period fields), after validation."""
    validate_periods([(period["opens_at"], period["closes_at"]) for period in periods])
    kept = []
    for data in periods:
        period_id = data.pop("id", None)
        period = call.periods.filter(pk=period_id).first() if period_id else None
        period = period or Period(funder=call.funder, call=call)
        for name, value in data.items():
            setattr(period, name, value)
        period.save()
        kept.append(period.pk)
    removed = call.periods.exclude(pk__in=kept)
    if removed.filter(applications__isnull=False).exists():
        raise ValidationError(_("A period that has applications cannot be removed."))
    removed.delete()
    record_change(call, by, "periods")
    return list(call.periods.all())


def _replace_parts(call, by, summary, model, related, rows):
    """Replace one list of the call's parts (criteria, stages, …) with ``rows`` of field values, in order."""
    record_change(call, by, summary)
    related.all().delete()
    model.objects.bulk_create(
        model(funder=call.funder, call=call, position=position, **fields) for position, fields in enumerate(rows)
    )


@transaction.atomic
def call_set_criteria(*, call, criteria, by=None):
    """Replace the criteria with ``criteria``: [(name dict, weight)]; weights must add up to 100."""
    validate_weights([weight for _name, weight in criteria])
    _replace_parts(call, by, "criteria", Criterion, call.criteria,
                   [{"name": name, "weight": weight} for name, weight in criteria])


@transaction.atomic
def call_set_pipeline(*, call, stages, by=None):
    """Set the review pipeline: [(kind, name)], in order. Not once applications are in review."""
    if call.applications.filter(current_stage__isnull=False).exists():
        raise ValidationError(_("The review stages cannot change while applications are in review."))
    if not stages:
        raise ValidationError(_("A call needs at least one review stage."))
    _replace_parts(call, by, "pipeline", Stage, call.stages, [{"kind": kind, "name": name} for kind, name in stages])


@transaction.atomic
def call_set_eligibility(*, call, questions, by=None):
    """Replace the eligibility questions: dicts of text, eligible_answer and reason_if_not."""
    _replace_parts(call, by, "eligibility", EligibilityQuestion, call.eligibility_questions, questions)


@transaction.atomic
def call_set_checklist(*, call, items, by=None):
    """Replace the pre-screening checklist: a list of {language: text}."""
    _replace_parts(call, by, "checklist", ChecklistItem, call.checklist, [{"text": text} for text in items])


def call_publish(*, call, by):
    """Make the call public; subscribers are told once, however often it is re-published."""
    from calls.tasks import announce_call

    now = timezone.now()
    with transaction.atomic():
        Call.objects.filter(pk=call.pk, published_at__isnull=True).update(published_at=now)
        first_time = Call.objects.filter(pk=call.pk, announced_at__isnull=True).update(announced_at=now)
        if first_time:
            announce_call.enqueue(call.funder, call_id=call.pk)
    call.refresh_from_db()
    return call


def call_unpublish(*, call, by):
    Call.objects.filter(pk=call.pk).update(published_at=None)
    call.refresh_from_db()
    return call


def call_archive(*, call, by):
    Call.objects.filter(pk=call.pk).update(archived_at=timezone.now())
    call.refresh_from_db()
    return call


def call_unarchive(*, call, by):
    """Undo an archiving: the call is back with the status its periods and publication give it."""
    Call.objects.filter(pk=call.pk).update(archived_at=None)
    call.refresh_from_db()
    return call


@transaction.atomic
def call_copy(*, call, slug, title, shift=timedelta(days=365)):
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
    call_set_criteria(call=copy, criteria=[(criterion.name, criterion.weight) for criterion in call.criteria.all()])
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


def subscriber_subscribe(*, funder, email, language):
    """Start a subscription; the confirmation email is sent once per address."""
    from calls.models import Subscriber
    from calls.notices import send_confirmation

    subscriber, _created = Subscriber.objects.get_or_create(
        funder=funder, email=email.strip().lower(), defaults={"language": language}
    )
    if subscriber.confirmed_at is None:
        send_confirmation(subscriber)
    return subscriber


def subscriber_confirm(*, subscriber):
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
    return subscriber


def subscriber_cancel(*, subscriber):
    subscriber.delete()
