"""Reads on calls that pages share, each in a fixed number of queries."""

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Count, Min, Prefetch
from django.shortcuts import get_object_or_404
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from calls.models import (
    ApplicationType, Call, CallChange, CostCategory, Criterion, EligibilityQuestion, Fund, Period, Question, Subscriber,
)
from fundportal.templatetags.portal import money
from fundportal.tenancy import scopes_disabled
from fundportal.translated import translated


@dataclass
class CallListing:
    open: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)
    closed: list = field(default_factory=list)


def _with_periods(queryset):
    return queryset.select_related("funder", "fund").prefetch_related(Prefetch("periods", queryset=Period.objects.order_by("opens_at")))


def _annotate_timing(call, now):
    periods = list(call.periods.all())
    call.current_status = call.status_at(now, periods)
    call.open_period = next((period for period in periods if period.is_open(now)), None)
    call.next_period = next((period for period in periods if now < period.opens_at), None)
    call.last_period = periods[-1] if periods else None
    return call


def public_calls(now):
    """The active funder's published calls, sorted into open now, opening soon and closed."""
    listing = CallListing()
    calls = _with_periods(Call.objects.filter(published_at__isnull=False, archived_at__isnull=True))
    for call in calls:
        _annotate_timing(call, now)
        {Call.Status.OPEN: listing.open, Call.Status.PUBLISHED: listing.upcoming, Call.Status.CLOSED: listing.closed}[
            call.current_status
        ].append(call)
    listing.open.sort(key=lambda call: call.open_period.closes_at)
    listing.upcoming.sort(key=lambda call: call.next_period.opens_at)
    return listing


OPEN_CALLS_PER_PAGE = 20


def open_calls_everywhere(now, page=None):
    """Page ``page`` of every funder's open calls, soonest deadline first (the cross-funder page): the database
    orders and cuts the page by the earliest deadline of each call's open periods; the periods are read for the
    page's calls only."""
    with scopes_disabled():
        calls = (Call.objects.filter(published_at__isnull=False, archived_at__isnull=True, funder__is_active=True)
                 # filtered first, so the deadline is the earliest among the periods open now
                 .filter(periods__opens_at__lte=now, periods__closes_at__gt=now)
                 .annotate(deadline=Min("periods__closes_at")).order_by("deadline", "pk"))
        shown = Paginator(_with_periods(calls), OPEN_CALLS_PER_PAGE).get_page(page)
        shown.object_list = [_annotate_timing(call, now) for call in shown.object_list]
    return shown


def public_call(slug, now, *, archived=True):
    """One published call with everything its public page shows; ``archived=False`` for the pages that lead to applying."""
    calls = Call.objects.filter(published_at__isnull=False)
    if not archived:
        calls = calls.filter(archived_at__isnull=True)
    queryset = _with_periods(calls).prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.order_by("position")),
        Prefetch("eligibility_questions", queryset=EligibilityQuestion.objects.order_by("position")),
    )
    return _annotate_timing(get_object_or_404(queryset, slug=slug), now)


@dataclass(frozen=True)
class PeriodFigure:
    """A number the administrator's dashboard shows per application period (e.g. its drafts), counted in the query."""

    name: str  # the period is annotated with it
    label: str
    aggregate: object  # e.g. Count("applications", filter=...)


# What the apps above calls count per period; they add to it at start-up (applications/dashboard.py), as calls may
# not know what they count.
PERIOD_FIGURES = []


def funds_with_calls(now):
    """The administrator's dashboard: each fund, its calls, and per period its ``figures`` (see PERIOD_FIGURES)."""
    periods = Period.objects.order_by("opens_at").annotate(**{figure.name: figure.aggregate for figure in PERIOD_FIGURES})
    calls = Call.objects.select_related("funder").prefetch_related(Prefetch("periods", queryset=periods))
    funds = list(Fund.objects.prefetch_related(Prefetch("calls", queryset=calls)))
    for fund in funds:
        for call in fund.calls.all():
            _annotate_timing(call, now)
            for period in call.periods.all():
                period.figures = [getattr(period, figure.name) for figure in PERIOD_FIGURES]
    return funds


def funds_with_call_counts():
    """The active funder's funds by name, each with how many calls it has (``call_count``)."""
    return Fund.objects.annotate(call_count=Count("calls")).order_by("name")


def managed_call(slug):
    """One of the active funder's calls by its address name, with its funder and fund; 404 if it has none such."""
    return get_object_or_404(Call.objects.select_related("funder", "fund"), slug=slug)


def call_named(slug):
    """The active funder's call of that address name, or None."""
    return Call.objects.filter(slug=slug).first()


def calls_with_funder():
    """The active funder's calls, to choose from."""
    return Call.objects.select_related("funder")


def sections_with_questions(call):
    """The call's form: its sections, each with its questions in order."""
    return call.sections.prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("position", "id")))


def has_applications(call):
    """Whether anyone has started an application to ``call``: its form has answers to keep then."""
    return call.applications.exists()


def themes_in_use():
    """The theme areas the active funder's calls name, in order."""
    calls = Call.objects.exclude(themes=[]).values_list("themes", flat=True)
    return sorted({theme for themes in calls for theme in themes or []})


def subscriber_numbered(pk):
    """The active funder's subscriber ``pk`` (None: none, or no number)."""
    return Subscriber.objects.filter(pk=pk).first() if pk else None


@dataclass
class HistoryEntry:
    at: object
    by: object
    what: list  # the labels of what changed
    details: list  # (label, before, after) per field, in words a reader understands


def _part_labels():
    return {"periods": _("Application periods"), "criteria": _("Assessment criteria"),
            "eligibility": _("Eligibility questions"), "pipeline": _("Review stages"),
            "checklist": _("Screening checklist"), "form": _("Application form")}


CHOICE_LABELS = {"application_types": dict(ApplicationType.choices), "eligible_cost_categories": dict(CostCategory.choices)}


def _field_label(name):
    try:
        return capfirst(Call._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _human_value(call, name, value):
    """A stored value as the administrator wrote it: texts in their language, lists joined, yes/no, amounts."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dict):
        return translated(value, call.funder.default_language)
    if isinstance(value, list):
        labels = CHOICE_LABELS.get(name, {})
        return ", ".join(str(labels.get(item, item)) for item in value)
    if name == "budget" and str(value).isdigit():
        return money(value, call.currency)
    return str(value)


def call_history(call):
    """The edits of a published call, newest first, with translated field names and readable values."""
    entries = []
    for change in CallChange.objects.filter(call=call).select_related("by"):
        details = [(_field_label(name), _human_value(call, name, values[0]), _human_value(call, name, values[1]))
                   for name, values in change.changes.items()]
        what = [label for label, _before, _after in details] or [_part_labels().get(change.summary, change.summary)]
        entries.append(HistoryEntry(at=change.at, by=change.by, what=what, details=details))
    return entries


def file_question(call, pk):
    """The call's file question ``pk``; 404 if the call's form has none such."""
    return get_object_or_404(Question, pk=pk, kind=Question.Kind.FILE, section__call=call)
