"""How an application is assessed: its screening, the panel's assignments and reviews, and the decision."""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import JSONObject
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from applications.models import Application
from fundportal.models import Wording
from fundportal.tenancy import FunderOwned, scoped_manager, scopes_disabled
from review.sql import Median, Score, upsert, weighted_in_sql


class Screening(FunderOwned):
    """The pre-screening of one application: each checklist item's result, and the outcome."""

    class Result(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")
        COMPLETION = "completion", _("Needs completion")

    application = models.OneToOneField("applications.Application", on_delete=models.CASCADE, related_name="screening")
    screener = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    results = models.JSONField(_("results"), default=dict)  # {"<item id>": {"result": "pass", "comment": "…"}}
    updated = models.DateTimeField(auto_now=True)


class AssignmentQuerySet(models.QuerySet):
    def without_conflict(self):
        """The assignments whose reviewer has not declared a conflict of interest (declared impartial, or not yet)."""
        return self.exclude(has_conflict=True)

    def open(self):
        """The reviews still to do: assignments without a conflict and without a submitted review."""
        return self.without_conflict().filter(Q(review__isnull=True) | Q(review__submitted_at__isnull=True))


class Assignment(FunderOwned):
    """A panel member asked to review one application at one stage, by a due date."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="assignments")
    stage = models.ForeignKey("calls.Stage", on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    due = models.DateField(_("due"), null=True, blank=True)
    has_conflict = models.BooleanField(_("conflict of interest declared"), null=True)
    conflict_note = models.TextField(_("about the conflict of interest"), blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(AssignmentQuerySet)

    class Meta:
        ordering = ["due", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "stage", "reviewer"], name="one_assignment_per_reviewer")]
        # The ranking joins a call's applications to their assignments: on PostgreSQL this index alone answers that
        # join (an index-only scan) instead of reading the whole table, twice as fast at 100,000 applications.
        indexes = [models.Index(fields=["application"], include=["id", "has_conflict"], name="assignment_by_application")]


class ReviewQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(submitted_at__isnull=False)

    def reweigh(self, criteria):
        """Store each review's ``weighted_score`` again from its scores and ``criteria`` (its call's), in one UPDATE."""
        return self.update(weighted_score=weighted_in_sql("scores", criteria))


def weighted_score(scores, criteria):
    """Σ score × weight over ``criteria`` (whose weights add up to 100; an unscored criterion counts 0): a review's
    weighted total in hundredths of a score, what ``review.sql.weighted_in_sql`` computes from the stored scores."""
    return sum((scores.get(str(criterion.pk), {}).get("score") or 0) * criterion.weight for criterion in criteria)


class Review(FunderOwned):
    """A reviewer's scores per criterion, comments and recommendation; a draft until submitted."""

    class Recommendation(models.TextChoices):
        FUND = "fund", pgettext_lazy("recommendation", "Fund")
        MAYBE = "maybe", _("Fund if money allows")
        REJECT = "reject", _("Do not fund")

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    scores = models.JSONField(_("scores"), default=dict)  # {"<criterion id>": {"score": 5, "comment": "…"}}
    recommendation = models.CharField(_("recommendation"), max_length=10, choices=Recommendation.choices, blank=True)
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)
    # ``weighted_score(scores, criteria)``, kept by review_save, by the bulk inserts and, when the call's criteria
    # change, by ``reweigh_reviews``: the ranking adds up one number per review instead of reading the JSON scores.
    weighted_score = models.FloatField(default=0, editable=False)

    objects = scoped_manager(ReviewQuerySet)


# Of an application's assignments and reviews (from the application): those whose reviewer declared no conflict of
# interest, and the submitted reviews among them, which its figures count.
NOT_CONFLICTED = Q(assignments__has_conflict=False) | Q(assignments__has_conflict__isnull=True)
COUNTED = NOT_CONFLICTED & Q(assignments__review__submitted_at__isnull=False)


def tallied(applications, criteria):
    """``applications`` (a query, of one call with ``criteria``) grouped with their assignments and reviews: per
    application the values of ``ReviewTally.FIELDS``, in that order."""
    weighted, scores = F("assignments__review__weighted_score"), "assignments__review__scores"
    return applications.order_by().values("pk", "funder_id").annotate(
        reviews_done=Count("assignments__review", filter=COUNTED),
        reviews_expected=Count("assignments", filter=NOT_CONFLICTED),
        weighted_sum=Sum(weighted, filter=COUNTED), weighted_squares=Sum(weighted * weighted, filter=COUNTED),
        weighted_median=Median(weighted, filter=COUNTED),
        criteria=JSONObject(**{str(criterion.pk): JSONObject(sum=Sum(Score(scores, criterion.pk), filter=COUNTED),
                                                             count=Count(Score(scores, criterion.pk), filter=COUNTED))
                               for criterion in criteria}))


class ReviewTallyQuerySet(models.QuerySet):
    def refresh(self, applications, criteria):
        """Compute the tallies of ``applications`` (a query of one call's, whose criteria are ``criteria``) again
        from their assignments and reviews, in one statement (``review.sql.upsert``) after locking them: two writers
        of one application's reviews take turns, so the later one counts what the earlier one wrote."""
        with transaction.atomic(using=self.db):
            list(applications.select_for_update().values_list("pk", flat=True))
            upsert(self.model, self.model.FIELDS, tallied(applications, criteria))


class ReviewTally(FunderOwned):
    """What the ranking reads of an application's assessment, one row instead of its reviews: the reviews done
    (submitted, by reviewers without a conflict of interest) and expected (its assignments without a conflict), the
    sum, the sum of squares and the median of the done reviews' weighted scores, and per criterion the sum and the
    number of their scores (``criteria``: {"<criterion id>": {"sum": 14.0, "count": 2}}).

    The review services compute it again (``refresh``) in the transaction of every write that changes what it
    counts: a review saved or submitted, an assignment made or closed, a conflict declared, and — through
    ``reweigh_reviews`` — the call's criteria changed; the bulk inserts of ``seed_scale`` and ``seed_demo`` refresh
    their calls' at the end. An application without assignments may have none (the ranking reads nothing as 0).
    """

    FIELDS = ("application", "funder", "reviews_done", "reviews_expected", "weighted_sum", "weighted_squares",
              "weighted_median", "criteria")

    application = models.OneToOneField("applications.Application", on_delete=models.CASCADE, primary_key=True,
                                       related_name="tally")
    reviews_done = models.PositiveIntegerField(default=0)
    reviews_expected = models.PositiveIntegerField(default=0)
    weighted_sum = models.FloatField(null=True)
    weighted_squares = models.FloatField(null=True)
    weighted_median = models.FloatField(null=True)
    criteria = models.JSONField(default=dict)

    objects = scoped_manager(ReviewTallyQuerySet)

    class Meta:
        # The ranking's order and its funding line read, of the whole call's tallies, only these two figures: on
        # PostgreSQL this index alone answers that (an index-only scan), a tenth of the table's width.
        indexes = [models.Index(fields=["application"], include=["reviews_done", "weighted_sum"],
                                name="tally_for_ranking")]


@receiver([post_save, post_delete], sender="calls.Criterion")
def reweigh_reviews(sender, instance, **kwargs):
    """A criterion of a call was saved or removed: its reviews' weighted scores, and its applications' tallies,
    follow the criteria it has now."""
    with scopes_disabled():
        criteria = list(sender.objects.filter(call_id=instance.call_id))
        # the call's reviews named by their assignments in a subquery: an UPDATE filtered through a join becomes
        # "id IN (the reviews joined again)", which PostgreSQL, its statistics taken of empty tables, ran for minutes
        assignments = Assignment.objects.filter(application__call_id=instance.call_id).values("pk")
        Review.objects.filter(assignment__in=assignments).reweigh(criteria)
        ReviewTally.objects.refresh(Application.objects.filter(call_id=instance.call_id), criteria)


class Decision(FunderOwned):
    """The funder's decision on an application: internal until released to the applicant."""

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("Granted")
        DECLINED = "declined", _("Declined")
        PRELIMINARY = "preliminary", _("Preliminary: relevant for a later round")

    application = models.OneToOneField("applications.Application", on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("decision"), max_length=12, choices=Outcome.choices)
    amount = models.DecimalField(_("amount granted"), max_digits=14, decimal_places=0, null=True, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    account = models.CharField(_("account or appropriation"), max_length=200, blank=True,
                               help_text=_("E.g. the state appropriation or the account the grant is paid from."))
    reason = models.TextField(_("justification"), blank=True)
    from_screening = models.BooleanField(_("taken at pre-screening"), default=False)
    budget_override = models.TextField(_("why the budget may be exceeded"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated = models.DateTimeField(auto_now=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)


class DecisionChange(FunderOwned):
    """Every version of a decision before release: who set what, when."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="changes")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    values = models.JSONField()

    class Meta:
        ordering = ["-at", "-id"]

    @property
    def outcome_label(self):
        """The decision in words ("Granted"), as the history shows it."""
        outcome = self.values.get("outcome")
        return Decision.Outcome(outcome).label if outcome in Decision.Outcome.values else ""


class Consensus(FunderOwned):
    """What the panel agreed at its meeting: a consensus score, a comment, and a place in the order."""

    application = models.OneToOneField("applications.Application", on_delete=models.CASCADE, related_name="consensus")
    score = models.DecimalField(_("consensus score"), max_digits=4, decimal_places=1, null=True, blank=True)
    comment = models.TextField(_("the panel's comment"), blank=True)
    position = models.PositiveSmallIntegerField(_("place in the order"), null=True, blank=True,
                                                help_text=_("Leave empty to order by score."))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated = models.DateTimeField(auto_now=True)


class LetterTemplate(Wording):
    """A funder's wording of a decision letter (and its email's subject) for one outcome and language."""

    outcome = models.CharField(_("decision"), max_length=12, choices=Decision.Outcome.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["funder", "outcome", "language"], name="one_letter_per_outcome_language")]


class BulkDecisionJob(FunderOwned):
    """A bulk decision on a call's ranking (grant those above the funding line, or decline those below it with one
    justification), recorded in the background one decision at a time (``review.bulk_jobs``): the applications the
    administrator confirmed, how far it has come, and each one refused with why. One at a time per call."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being recorded")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    UNDER_WAY = (State.QUEUED, State.RUNNING)
    LOST_AFTER = timedelta(minutes=30)  # under way without a sign of life this long: its worker died with it

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(_("decision"), max_length=12, choices=Decision.Outcome.choices)
    reason = models.TextField(_("justification"), blank=True)
    filter = models.JSONField(default=dict)  # the ranking's filter (review.selectors.RankingFilter), period by id
    query = models.TextField(blank=True)  # the ranking's query string, to go back to it as it was
    # the refusals' language: the one the person read when confirming (the worker writes them in it)
    language = models.CharField(max_length=8, default=settings.LANGUAGE_CODE)
    applications = models.JSONField(default=list)  # the ids confirmed, in the ranking's order
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)  # gone through: recorded or refused
    recorded = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)  # the last sign of life: each turn of decisions moves it
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [models.UniqueConstraint(fields=["call"], condition=Q(state__in=("queued", "running")),
                                               name="one_bulk_decision_under_way_per_call")]

    @property
    def granting(self):
        return self.outcome == Decision.Outcome.GRANTED

    @property
    def is_lost(self):
        """Under way, but without a sign of life for ``LOST_AFTER``: it shows as failed until it is failed."""
        return self.state in self.UNDER_WAY and self.updated < timezone.now() - self.LOST_AFTER

    @property
    def under_way(self):
        return self.state in self.UNDER_WAY and not self.is_lost

    @property
    def is_done(self):
        return self.state == self.State.DONE

    @property
    def has_failed(self):
        return self.state == self.State.FAILED or self.is_lost

    @property
    def percent(self):
        """How far it has come, 0–100."""
        if self.is_done:
            return 100
        return min(99, 100 * self.done // self.total) if self.total else 0


class BulkDecisionRefusal(FunderOwned):
    """An application a bulk decision did not decide, and why (as a single decision would have been refused)."""

    job = models.ForeignKey(BulkDecisionJob, on_delete=models.CASCADE, related_name="refusals")
    case_number = models.CharField(max_length=40)
    why = models.TextField()

    class Meta:
        ordering = ["id"]
