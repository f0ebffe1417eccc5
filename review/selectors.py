"""Reads of the assessment that pages share, each in a fixed number of queries."""

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from applications.lifecycle import State
from applications.models import Application
from applications.selectors import application_with_form
from calls.models import Stage
from review.models import Assignment, Review

DISAGREEMENT = 1.5  # a standard deviation of the weighted total above this flags the application

# Where an application is for the people who work on it: submitted and not yet past screening …
IN_SCREENING = Q(state=State.SUBMITTED) | Q(state__in=State.AT_A_STAGE, current_stage__kind=Stage.Kind.SCREENING)
# … or at a panel, dialogue or decision stage, or decided there.
PAST_SCREENING = Q(state__in=State.ASSESSED, current_stage__kind__in=Stage.Kind.PAST_SCREENING)


def in_screening(application):
    return application.state == State.SUBMITTED or (
        application.state in State.AT_A_STAGE and application.current_stage is not None
        and application.current_stage.kind == Stage.Kind.SCREENING)


def past_screening(application):
    return (application.state in State.ASSESSED and application.current_stage is not None
            and application.current_stage.kind in Stage.Kind.PAST_SCREENING)


def screening_queue(*, search="", call=None, period=None, application_type=None, theme=None, state=None, screener=None,
                    sort="-submitted_at"):
    """Submitted applications waiting for, or at, a screening stage."""
    queryset = Application.objects.filter(IN_SCREENING).select_related("call__funder", "period", "applicant", "current_stage", "screening__screener")
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(case_number__icontains=search)
                                   | Q(applicant__email__icontains=search) | Q(applicant__last_name__icontains=search))
    if call:
        queryset = queryset.filter(call=call)
    if period:
        queryset = queryset.filter(period=period)
    if application_type:
        queryset = queryset.filter(application_type=application_type)
    if theme:
        queryset = queryset.filter(theme=theme)
    if state:
        queryset = queryset.filter(state=state)
    if screener:
        queryset = queryset.filter(screening__screener=screener)
    return queryset.order_by(sort, "pk")


def reviewer_assignments(user):
    """The reviewer's assignments, grouped for the dashboard: to do (soonest due first) and done."""
    assignments = list(
        Assignment.objects.filter(reviewer=user).without_conflict()
        .select_related("application__call__funder", "stage", "review").order_by("due", "pk")
    )
    todo = [a for a in assignments if not (hasattr(a, "review") and a.review.submitted_at)]
    done = [a for a in assignments if hasattr(a, "review") and a.review.submitted_at]
    return todo, done


@dataclass
class RankingRow:
    application: Application
    criterion_means: list = field(default_factory=list)
    total: float | None = None
    median: float | None = None
    deviation: float | None = None
    done: int = 0
    expected: int = 0
    running_sum: Decimal = Decimal(0)

    @property
    def disagreement(self):
        return self.deviation is not None and self.deviation > DISAGREEMENT


def ranking(call, period=None):
    """Per application at a panel or later stage: criterion means, weighted total, median, spread, reviews done."""
    criteria = list(call.criteria.all())
    reviews = Prefetch("assignments", queryset=Assignment.objects.without_conflict().select_related("review"))
    applications = (Application.objects.filter(PAST_SCREENING, call=call)
                    .select_related("applicant", "current_stage", "decision", "consensus").prefetch_related(reviews))
    if period is not None:
        applications = applications.filter(period=period)
    rows = []
    for application in applications:
        submitted = [a.review for a in application.assignments.all() if hasattr(a, "review") and a.review.submitted_at]
        totals = [weighted_total(review, criteria) for review in submitted]
        row = RankingRow(application=application, done=len(submitted), expected=len(application.assignments.all()))
        row.criterion_means = [
            _mean([review.scores.get(str(criterion.pk), {}).get("score") for review in submitted]) for criterion in criteria
        ]
        if totals:
            row.total = round(statistics.mean(totals), 2)
            row.median = round(statistics.median(totals), 2)
            row.deviation = round(statistics.pstdev(totals), 2) if len(totals) > 1 else 0.0
        rows.append(row)
    rows.sort(key=_order)
    running = Decimal(0)
    for row in rows:
        running += _counted_amount(row.application)
        row.running_sum = running
    return criteria, rows


def _counted_amount(application):
    """What an application adds to the running sum: the amount granted, nothing once declined or kept for later,
    else the amount applied for."""
    decision = getattr(application, "decision", None)
    if decision is None:
        return application.amount_requested or 0
    return decision.amount or 0 if decision.outcome == decision.Outcome.GRANTED else 0


def _order(row):
    """The panel's own order first, then its consensus score, then the reviewers' weighted total."""
    consensus = getattr(row.application, "consensus", None)
    position = consensus.position if consensus and consensus.position is not None else None
    score = consensus.score if consensus and consensus.score is not None else row.total
    return (position is None, position or 0, score is None, -(score or 0), row.application.pk)


def weighted_total(review, criteria):
    return sum((review.scores.get(str(c.pk), {}).get("score") or 0) * c.weight for c in criteria) / 100


def _mean(values):
    present = [value for value in values if value is not None]
    return round(statistics.mean(present), 2) if present else None


def call_progress(call, today):
    """How far the call's assessment has come: counts per state and stage, and the reviews that are late."""
    by_state = dict(Application.objects.filter(call=call).values_list("state").annotate(n=Count("pk")))
    by_stage = list(Application.objects.filter(call=call, state=State.IN_REVIEW)
                    .values("current_stage__position", "current_stage__name").annotate(n=Count("pk"))
                    .order_by("current_stage__position"))
    assignments = Assignment.objects.filter(application__call=call).without_conflict()
    reviews_done = assignments.filter(review__submitted_at__isnull=False).count()
    late = list(Assignment.objects.filter(application__call=call, due__lt=today).open()
                .select_related("reviewer", "application").order_by("due", "reviewer__email"))
    return {"by_state": by_state, "by_stage": by_stage, "reviews_done": reviews_done,
            "reviews_expected": assignments.count(), "late": late}


def drafts_past_their_deadline(call, now):
    """Drafts their applicants can no longer submit: the administrator may give one a later deadline (a draft's own
    pages stay the applicant's)."""
    return list(Application.objects.filter(call=call, state=State.DRAFT, period__closes_at__lt=now)
                .exclude(extension_until__gte=now).select_related("applicant").order_by("title", "pk"))


def review_summary(application):
    """The submitted reviews of ``application`` for its decision: criteria, [(review, scores, weighted total)], mean."""
    criteria = list(application.call.criteria.all())
    reviews = (Review.objects.submitted().filter(assignment__application=application)
               .exclude(assignment__has_conflict=True).select_related("assignment__reviewer").order_by("submitted_at"))
    rows = [(review, [review.scores.get(str(c.pk), {}).get("score") for c in criteria], round(weighted_total(review, criteria), 2))
            for review in reviews]
    return {"criteria": criteria, "rows": rows,
            "mean": round(statistics.mean(total for _review, _scores, total in rows), 2) if rows else None}


def applications_with_reviewers(call):
    """The call's applications at a stage with reviewers, by case number, each with its assignments and reviews."""
    return (Application.objects.filter(call=call, state=State.IN_REVIEW, current_stage__kind__in=Stage.Kind.WITH_REVIEWERS)
            .select_related("applicant", "current_stage")
            .prefetch_related("assignments__reviewer", "assignments__review").order_by("case_number"))


def assignment_of(reviewer, pk):
    """The reviewer's assignment ``pk``, with its application, call, stage and review; 404 if not theirs."""
    return get_object_or_404(Assignment.objects.select_related("application__call__funder", "application__current_stage",
                                                               "stage", "review"), pk=pk, reviewer=reviewer)


def other_reviews(application, review):
    """The submitted reviews of ``application`` other than ``review``, with their reviewers."""
    return (Review.objects.submitted().filter(assignment__application=application).exclude(pk=review.pk)
            .select_related("assignment__reviewer"))


def application_to_screen(pk):
    """Application ``pk`` with its form (``application_with_form``); 404 if the active funder has none such."""
    get_object_or_404(Application.objects.only("pk"), pk=pk)
    return application_with_form(pk)


def screenable_among(ids):
    """Those of the applications ``ids`` that wait for, or are at, screening."""
    return Application.objects.filter(IN_SCREENING, pk__in=ids)


def application_past_screening(call, pk):
    """The call's application ``pk`` at a panel stage or later, with its call, stage and applicant; else 404."""
    return get_object_or_404(Application.objects.filter(PAST_SCREENING).select_related("call", "current_stage", "applicant"),
                             call=call, pk=pk)


def decision_history(decision):
    """Every version of ``decision`` before release, newest first, with who set it (none without a decision)."""
    return decision.changes.select_related("by") if decision else []
