"""Reads of the assessment that pages share, each in a fixed number of queries."""

import math
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import (
    BooleanField, Case, Count, DecimalField, Exists, ExpressionWrapper, F, FloatField, IntegerField, Max, Min, OuterRef,
    Prefetch, Q, Subquery, Sum, Value, When, Window,
)
from django.db.models.functions import Cast, Coalesce, FirstValue, NullIf, RowNumber
from django.db.models.expressions import RowRange
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from applications.lifecycle import State
from applications.models import Application
from applications.selectors import application_with_form
from calls.models import Stage
from fundportal.models import Membership, User
from fundportal.search import text_search
from fundportal.translated import translated
from review.models import Assignment, Decision, Review, ReviewTally
from review.sql import Score

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
    """Submitted applications waiting for, or at, a screening stage; ``search`` finds words of the title and part of
    the case number or the applicant's email address or last name (``fundportal.search.text_search``)."""
    # Only the stage the filter needs is joined; a page's calls, periods, applicants and screenings come in small
    # queries of their own (the planner joining all nine tables to sort and cut a page took three times as long).
    queryset = (Application.objects.filter(IN_SCREENING).select_related("current_stage")
                .prefetch_related("call__funder", "period", "applicant", "screening__screener"))
    if search:
        queryset = queryset.filter(text_search(Application, search, words=("title",),
                                               codes=("case_number", "applicant__email", "applicant__last_name")))
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


# What the dashboard shows of an assignment (an application's answers stay in the database).
DASHBOARD_FIELDS = ("due", "has_conflict", "application__case_number", "application__title",
                    "application__call__anonymous_to_panel")


def reviewer_assignments(user):
    """The reviewer's assignments for the dashboard, each with when its review was ``submitted`` (None: not yet): to
    do (a list, soonest due first) and done (a query to page, the latest submitted first). The review is read by
    a subquery per assignment, through its index, however many reviews the installation holds."""
    submitted = Review.objects.filter(assignment=OuterRef("pk")).values("submitted_at")
    assignments = (Assignment.objects.filter(reviewer=user).without_conflict()
                   .annotate(submitted=Subquery(submitted))
                   .select_related("application__call").only(*DASHBOARD_FIELDS))
    todo = list(assignments.filter(submitted__isnull=True).order_by("due", "pk"))
    done = assignments.filter(submitted__isnull=False).order_by("-submitted", "-pk")
    return todo, done


RANKING_PAGE_SIZE = 50
# What an application adds to the running sum: the amount granted, nothing once declined or kept for later, else the
# amount applied for.
COUNTED_AMOUNT = Case(
    When(decision__isnull=True, then=Coalesce("amount_requested", Value(Decimal(0)))),
    When(decision__outcome=Decision.Outcome.GRANTED, then=Coalesce("decision__amount", Value(Decimal(0)))),
    default=Value(Decimal(0)), output_field=DecimalField(max_digits=16, decimal_places=0))


# What the ranking's queries read of each application: the decision's key and the amount are grouped by (as
# PostgreSQL asks of what the running sum adds up), the rest comes for the rows shown (``Ranking.rows``).
PLACE = ("pk", "rank", "running_sum", "counted_amount", "decision_pk")
# The panel's own order first, then its consensus score, then the reviewers' weighted total; the oldest first on a tie.
RANKING_ORDER = (F("consensus__position").asc(nulls_last=True), F("ranking_score").desc(nulls_last=True), F("pk").asc())


@dataclass
class RankingRow:
    application: Application
    rank: int = 0
    criterion_means: list = field(default_factory=list)
    total: float | None = None
    median: float | None = None
    deviation: float | None = None
    disagreement: bool = False
    done: int = 0
    expected: int = 0
    running_sum: Decimal = Decimal(0)


@dataclass(frozen=True)
class RankingFilter:
    """Which of the ranked applications to show; the ranking itself (rank, running sum) stays the whole call's."""

    period: object = None
    theme: str = ""
    application_type: str = ""
    recommendation: str = ""
    disagreement: bool | None = None
    decided: bool | None = None
    search: str = ""

    def condition(self):
        condition = Q()
        if self.period is not None:
            condition &= Q(period=self.period)
        if self.theme:
            condition &= Q(theme=self.theme)
        if self.application_type:
            condition &= Q(application_type=self.application_type)
        if self.recommendation:
            condition &= Q(Exists(Review.objects.submitted().exclude(assignment__has_conflict=True).filter(
                assignment__application=OuterRef("pk"), recommendation=self.recommendation)))
        if self.disagreement is not None:
            condition &= Q(disagreement=self.disagreement)
        if self.decided is not None:
            condition &= Q(decision_pk__isnull=not self.decided)
        if self.search:
            condition &= text_search(Application, self.search, words=("title",), codes=("case_number",))
        return condition


@dataclass(frozen=True)
class FundingLine:
    """Where the running sum first passes the budget: the application at ``rank`` no longer fits."""

    rank: int
    sum_at_line: Decimal  # what the applications above the line add up to
    sum_with_next: Decimal  # and with the first one below it


class Ranking:
    """The ranking of a call's applications at a panel stage or later, computed by the database for the whole call.

    Each application's figures are read from its tally (``review.models.ReviewTally``), one row per application
    instead of its reviews: its reviews done and expected, the sum of its reviews' weighted scores (Σ score × weight
    per review, a whole number when the scores are), of their squares, their median and each criterion's sum and
    count. The review services compute an application's tally again, from its assignments and reviews in one
    statement, in the transaction of every write that changes it, so the whole call's queries group nothing; the
    spread and the disagreement flag are computed from the stored sums as they are read (so ``DISAGREEMENT`` can
    change without computing anything again), and only the recommendation filter reads the reviews (a subquery per
    application). The rows get their means, median and spread from these in exact arithmetic (``Fraction``), rounded
    to two decimals, so SQLite and PostgreSQL show the same figures; the disagreement flag compares the variance the
    same way.

    ``_ranked``: two window functions number the applications in ``RANKING_ORDER`` and run the sum of
    ``COUNTED_AMOUNT``, over a query that reads only what that order needs (unless a filter or an order needs more).
    A filter is applied around them (``FirstValue`` over a partition of one application makes its condition a window
    expression, which Django evaluates in an outer query), so a filtered page keeps the whole call's ranks, running
    sums and funding line. The figures of the rows shown are read for those rows only (``rows``). No review is loaded
    into Python; a page costs the same few queries whatever the number of applications.
    """

    def __init__(self, call):
        self.call = call
        self.criteria = list(call.criteria.all())

    def _tallied(self, applications, every_figure):
        """``applications`` with their tally's reviews done and weighted sum, and with ``every_figure`` all the
        other figures (an application without a tally has no review: 0 done and expected, no sums)."""
        applications = applications.annotate(
            reviews_done=Coalesce("tally__reviews_done", 0, output_field=IntegerField()),
            weighted_sum=F("tally__weighted_sum"))
        if not every_figure:
            return applications
        per_criterion = {}
        for criterion in self.criteria:
            per_criterion[f"criterion_{criterion.pk}_sum"] = Score("tally__criteria", criterion.pk, key="sum")
            per_criterion[f"criterion_{criterion.pk}_count"] = Cast(Score("tally__criteria", criterion.pk, key="count"),
                                                                    IntegerField())
        done = NullIf(F("reviews_done"), 0)
        return (applications
                .annotate(reviews_expected=Coalesce("tally__reviews_expected", 0, output_field=IntegerField()),
                          weighted_squares=F("tally__weighted_squares"), weighted_median=F("tally__weighted_median"),
                          **per_criterion)
                # n Σx² − (Σx)² is n² times the variance (of the sums, in hundredths of a score, squared)
                .annotate(n2_variance=ExpressionWrapper(F("reviews_done") * F("weighted_squares")
                                                        - F("weighted_sum") * F("weighted_sum"),
                                                        output_field=FloatField()))
                .annotate(variance=ExpressionWrapper(F("n2_variance") / (done * done), output_field=FloatField()),
                          # a spread that shows, to two decimals, above DISAGREEMENT
                          disagreement=Case(When(n2_variance__gt=((DISAGREEMENT + 0.005) * 100) ** 2
                                                 * F("reviews_done") * F("reviews_done"), then=Value(True)),
                                            default=Value(False), output_field=BooleanField()),
                          **{f"criterion_{c.pk}_mean": ExpressionWrapper(
                              F(f"criterion_{c.pk}_sum") / NullIf(F(f"criterion_{c.pk}_count"), 0),
                              output_field=FloatField()) for c in self.criteria}))

    def _ranked(self, every_figure=False):
        weighted_mean = F("weighted_sum") / NullIf(F("reviews_done"), 0) / 100.0
        return (self._tallied(Application.objects.filter(PAST_SCREENING, call=self.call), every_figure)
                .annotate(ranking_score=Coalesce(Cast("consensus__score", FloatField()), weighted_mean,
                                                 output_field=FloatField()),
                          counted_amount=COUNTED_AMOUNT, decision_pk=F("decision__pk"))
                .annotate(rank=Window(RowNumber(), order_by=RANKING_ORDER),
                          running_sum=Window(Sum("counted_amount"), order_by=RANKING_ORDER,
                                             frame=RowRange(start=None, end=0))))

    def sorts(self, language):
        """The orders the page offers, key → label, the ranking's own first; each shows the best first (the highest
        score, the widest spread, the largest amount), the case numbers in order."""
        return {"rank": _("Weighted total"),
                **{f"criterion-{c.pk}": translated(c.name, language) for c in self.criteria},
                "median": _("Median"), "spread": _("Spread"), "amount": _("Amount applied for"),
                "case": _("Case number")}

    def _orders(self):
        return {**{f"criterion-{c.pk}": F(f"criterion_{c.pk}_mean").desc(nulls_last=True) for c in self.criteria},
                "median": F("weighted_median").desc(nulls_last=True), "spread": F("variance").desc(nulls_last=True),
                "amount": F("amount_requested").desc(nulls_last=True), "case": F("case_number").asc()}

    def shown(self, filter=RankingFilter(), sort="rank"):
        """The places of the applications ``filter`` keeps (``PLACE``), in the order ``sort`` names (the
        ranking's for "rank" or a key it does not know), ties in the ranking's order."""
        order = self._orders().get(sort)
        every_figure = filter.disagreement is not None or sort.startswith("criterion-") or sort in ("median", "spread")
        shown = self._ranked(every_figure)
        if condition := filter.condition():
            kept = Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())
            shown = shown.annotate(shown=Window(FirstValue(kept), partition_by=[F("pk")])).filter(shown=True)
        return shown.order_by(*([order] if order is not None else []), "rank").values(*PLACE)

    def funding_line(self):
        """Where the running sum of the whole call first passes its budget (None while everything fits), and how many
        applications the whole call ranks, in one query (the running sum only grows down the ranking)."""
        over = Q(running_sum__gt=self.call.budget)
        whole = self._ranked().values(*PLACE).aggregate(
            applications=Count("pk"), line_rank=Min("rank", filter=over), over=Min("running_sum", filter=over),
            within=Max("running_sum", filter=~over))
        if whole["line_rank"] is None:
            return None, whole["applications"]
        return FundingLine(rank=whole["line_rank"], sum_at_line=whole["within"] or Decimal(0),
                           sum_with_next=whole["over"]), whole["applications"]

    @staticmethod
    def counted(filter, shown, line, whole_count):
        """How many applications ``shown`` (by ``filter``) holds, and how many of them rank above ``line`` (None: no
        line): without a filter, what the whole call's count and the line say; else in one query."""
        if filter.condition() == Q():
            return whole_count, line.rank - 1 if line else None
        if line is None:
            return shown.count(), None
        counts = shown.aggregate(total=Count("pk"), above=Count("pk", filter=Q(rank__lt=line.rank)))
        return counts["total"], counts["above"]

    def rows(self, shown, with_reviews=False):
        """The rows of the applications ``shown`` (a page of it, or all), their figures rounded to two decimals, with
        ``with_reviews`` each application's assignments (without a conflict), reviewers and reviews."""
        shown = list(shown)
        applications = self._tallied(Application.objects.filter(pk__in=[place["pk"] for place in shown])
                                     .select_related("applicant", "current_stage", "decision", "consensus"), True)
        if with_reviews:
            applications = applications.prefetch_related(Prefetch(
                "assignments", queryset=Assignment.objects.without_conflict().select_related("reviewer", "review")))
        by_pk = {application.pk: application for application in applications}
        return [self._row(by_pk[place["pk"]], place) for place in shown]

    def _row(self, application, place):
        done = application.reviews_done
        row = RankingRow(application=application, rank=place["rank"], running_sum=place["running_sum"], done=done,
                         expected=application.reviews_expected, disagreement=application.disagreement)
        row.criterion_means = [_ratio(getattr(application, f"criterion_{c.pk}_sum"),
                                      getattr(application, f"criterion_{c.pk}_count")) for c in self.criteria]
        if done:
            row.total = _ratio(application.weighted_sum, 100 * done)
            row.median = _ratio(application.weighted_median, 100)
            variance = (done * Fraction(application.weighted_squares) - Fraction(application.weighted_sum) ** 2) / (
                done * done * 10_000)
            row.deviation = round(math.sqrt(variance), 2)
        return row


def _ratio(numerator, denominator):
    """``numerator / denominator`` rounded to two decimals, from their exact values; None without a denominator."""
    if not denominator or numerator is None:
        return None
    return round(float(Fraction(numerator) / denominator), 2)


def weighted_total(review, criteria):
    return sum((review.scores.get(str(c.pk), {}).get("score") or 0) * c.weight for c in criteria) / 100


def call_progress(call, today):
    """How far the call's assessment has come: counts per state and stage, and the reviews that are late."""
    by_state = dict(Application.objects.filter(call=call).values_list("state").annotate(n=Count("pk")))
    by_stage = list(Application.objects.filter(call=call, state=State.IN_REVIEW)
                    .values("current_stage__position", "current_stage__name").annotate(n=Count("pk"))
                    .order_by("current_stage__position"))
    # the reviews done and expected as the applications' tallies count them (``ReviewTally``), not from the reviews
    reviews = ReviewTally.objects.filter(application__call=call).aggregate(
        done=Coalesce(Sum("reviews_done"), 0), expected=Coalesce(Sum("reviews_expected"), 0))
    late = list(Assignment.objects.filter(application__call=call, due__lt=today).open()
                .select_related("reviewer", "application").order_by("due", "reviewer__email"))
    return {"by_state": by_state, "by_stage": by_stage, "reviews_done": reviews["done"],
            "reviews_expected": reviews["expected"], "late": late}


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


# What the assignments page shows of an application's assignment.
ASSIGNMENT_FIELDS = ("application", "due", "has_conflict", "reviewer__first_name", "reviewer__last_name",
                     "reviewer__email", "review__submitted_at")
# The assignments page's orders, each finished by the case number.
ASSIGNMENT_SORTS = {"case": ("case_number", "pk"), "fewest": ("reviewers_assigned", "case_number", "pk"),
                    "submitted": ("submitted_at", "case_number", "pk")}


def _reviewers_assigned():
    """An application's reviewers at its current stage without a declared conflict, counted in a subquery (so that
    a page of applications needs no grouping of their rows)."""
    counted = (Assignment.objects.without_conflict().filter(application=OuterRef("pk"), stage=OuterRef("current_stage"))
               .order_by().values("application").annotate(count=Count("pk")).values("count"))
    return Coalesce(Subquery(counted), 0)


def applications_with_reviewers(call, *, search="", period=None, theme="", coverage="", reviewer=None, sort="case"):
    """The call's applications at a stage with reviewers that the filters keep, each with ``reviewers_assigned``
    and its assignments with their reviewers and reviews, in the order ``sort`` names (``ASSIGNMENT_SORTS``).
    ``coverage``: "needs" fewer reviewers than the call asks for, "full" as many or more. ``search`` finds words of
    the title and the applicant's last name and part of the case number or email address (``text_search``)."""
    applications = (Application.objects.filter(call=call, state=State.IN_REVIEW,
                                               current_stage__kind__in=Stage.Kind.WITH_REVIEWERS)
                    .annotate(reviewers_assigned=_reviewers_assigned())
                    .select_related("current_stage").defer("answers", "confidential")
                    .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.select_related(
                        "reviewer", "review").only(*ASSIGNMENT_FIELDS))))
    if search:
        applications = applications.filter(text_search(Application, search, words=("title", "applicant__last_name"),
                                                       codes=("case_number", "applicant__email")))
    if period is not None:
        applications = applications.filter(period=period)
    if theme:
        applications = applications.filter(theme=theme)
    if coverage == "needs":
        applications = applications.filter(reviewers_assigned__lt=call.reviewers_per_application)
    elif coverage == "full":
        applications = applications.filter(reviewers_assigned__gte=call.reviewers_per_application)
    if reviewer is not None:
        applications = applications.filter(Exists(Assignment.objects.without_conflict().filter(
            application=OuterRef("pk"), reviewer=reviewer)))
    return applications.order_by(*ASSIGNMENT_SORTS.get(sort, ASSIGNMENT_SORTS["case"]))


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


@dataclass(frozen=True)
class ReviewerLoad:
    """One reviewer's work in a call: ``assigned`` without a declared conflict, ``submitted`` of those, and the
    assignments where they declared a conflict."""

    reviewer: object
    assigned: int
    submitted: int
    conflicts: int

    @property
    def outstanding(self):
        return self.assigned - self.submitted


def reviewer_loads(call):
    """The load of each panel member of the active funder, and of anyone else with an assignment in ``call``, by
    email address: one aggregate query over the call's assignments (by reviewer), one for the people."""
    not_conflicted = Q(has_conflict=False) | Q(has_conflict__isnull=True)
    counts = {row["reviewer"]: row for row in (
        Assignment.objects.filter(application__call=call).order_by().values("reviewer")
        .annotate(assigned=Count("pk", filter=not_conflicted),
                  submitted=Count("pk", filter=not_conflicted & Q(review__submitted_at__isnull=False)),
                  conflicts=Count("pk", filter=Q(has_conflict=True))))}
    reviewers = User.objects.filter(Q(pk__in=Membership.objects.panel().values("user_id")) | Q(pk__in=counts))
    none = {"assigned": 0, "submitted": 0, "conflicts": 0}
    return [ReviewerLoad(reviewer=reviewer, assigned=load["assigned"], submitted=load["submitted"],
                         conflicts=load["conflicts"])
            for reviewer in reviewers.order_by("email") for load in [counts.get(reviewer.pk, none)]]
