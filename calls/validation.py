"""The rules a call's set-up must follow, each with a message an administrator understands."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from calls.models import Question, Stage


def validate_periods(periods):
    """Each period closes after it opens, and no two periods overlap.

    ``periods`` is a list of (opens_at, closes_at) pairs.
    """
    errors = []
    for opens_at, closes_at in periods:
        if closes_at <= opens_at:
            errors.append(_("A period must close after it opens."))
    ordered = sorted(periods)
    for (_opens, first_closes), (second_opens, _closes) in zip(ordered, ordered[1:]):
        if second_opens < first_closes:
            errors.append(_("Application periods may not overlap."))
    if errors:
        raise ValidationError(errors)


def validate_weights(weights):
    if weights and sum(weights) != 100:
        raise ValidationError(
            _("The criteria weights add up to %(total)s %%; they must add up to 100 %%.") % {"total": sum(weights)}
        )


def validate_budget(budget):
    if budget is None or budget <= 0:
        raise ValidationError({"budget": _("The budget must be more than zero.")})


def validate_score_scale(score_min, score_max):
    if score_min >= score_max:
        raise ValidationError({"score_max": _("The highest score must be above the lowest.")})


def publication_gaps(call):
    """What the call still lacks before applicants can use it, one message each; empty when it can be published."""
    gaps = []
    if call.budget is None or call.budget <= 0:
        gaps.append(_("a budget of more than zero"))
    if not call.periods.exists():
        gaps.append(_("at least one application period"))
    if not Question.objects.filter(section__call=call).exists():
        gaps.append(_("an application form with at least one question"))
    stages = call.stages.all()
    if not stages.exists():
        gaps.append(_("a review pipeline (its review stages)"))
    if stages.filter(kind=Stage.Kind.PANEL).exists():
        weights = list(call.criteria.values_list("weight", flat=True))
        if not weights:
            gaps.append(_("assessment criteria for the panel"))
        elif sum(weights) != 100:
            gaps.append(_("criteria weights that add up to 100 %% (now %(total)s %%)") % {"total": sum(weights)})
    return gaps
