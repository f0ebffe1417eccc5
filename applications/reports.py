"""The yearly report that follows a fund up: counts, outcomes, money, and the split by gender, sector, theme,
type and call — aggregates only, never a person — and the funded projects. A fixed number of queries."""

import re
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.lifecycle import State
from applications.models import Application, ApplicantProfile
from calls.models import ApplicationType, Call
from calls.selectors import call_named

GRANTED = Q(state=State.GRANTED)
FIRST_YEAR, LAST_YEAR = 1900, 9999
SLUG = re.compile(r"[-\w]{1,100}")


@dataclass
class Split:
    """One way of dividing the applications: rows of (label, received, granted)."""

    title: str
    rows: list = field(default_factory=list)


@dataclass
class Report:
    year: int
    received: int = 0
    granted: int = 0
    declined: int = 0
    preliminary: int = 0
    applied_for: int = 0
    granted_amount: int = 0
    splits: list = field(default_factory=list)
    funded: object = None  # the funded applications (a query: a page lists them, an export reads them in chunks)

    @property
    def grant_rate(self):
        return round(100 * self.granted / self.received) if self.received else None


def report_years():
    """The years in which applications were submitted, newest first."""
    return [moment.year for moment in Application.objects.filter(submitted_at__isnull=False)
            .dates("submitted_at", "year", order="DESC")]


def years_to_report():
    """The years in which applications were submitted, newest first; this year when there are none yet."""
    return report_years() or [timezone.localdate().year]


def asked_year(value, years):
    """The year a query names (a calendar year the database can count in), the newest of ``years`` by default,
    or None."""
    if not value:
        return years[0]
    return int(value) if value.isascii() and value.isdigit() and FIRST_YEAR <= int(value) <= LAST_YEAR else None


def asked_call(slug):
    """The active funder's call a query names, or None (all calls)."""
    return call_named(slug) if slug and SLUG.fullmatch(slug) else None


def _split(applications, title, by, labels):
    rows = (applications.values(by).annotate(received=Count("pk"), granted=Count("pk", filter=GRANTED))
            .order_by("-received", by))
    return Split(title, [(labels(row[by]), row["received"], row["granted"]) for row in rows])


def yearly_report(*, year, call=None):
    """Applications submitted in ``year`` (the funder's calendar), optionally in one call."""
    applications = Application.objects.filter(submitted_at__year=year)
    if call is not None:
        applications = applications.filter(call=call)
    totals = applications.aggregate(
        received=Count("pk"), granted=Count("pk", filter=GRANTED), declined=Count("pk", filter=Q(state=State.DECLINED)),
        preliminary=Count("pk", filter=Q(state=State.PRELIMINARY)), applied_for=Sum("amount_requested"),
        granted_amount=Sum("decision__amount", filter=GRANTED))
    report = Report(year=year, **{name: value or 0 for name, value in totals.items()})
    genders = dict(ApplicantProfile.Gender.choices)
    calls = {pk: title for pk, title in ((c.pk, c.display_title) for c in Call.objects.select_related("funder"))}
    report.splits = [
        _split(applications, _("Main applicant's gender"), "applicant__applicant_profile__gender",
               lambda value: genders.get(value or "", genders[""])),
        _split(applications, _("Sector"), "applicant__applicant_profile__sector",
               lambda value: value or _("Not given")),
        _split(applications, _("Theme area"), "theme", lambda value: value or _("Not given")),
        _split(applications, _("Type of application"), "application_type",
               lambda value: ApplicationType(value).label if value in ApplicationType.values else value),
        _split(applications, _("Call"), "call", lambda value: calls.get(value, "")),
    ]
    report.funded = (applications.filter(GRANTED).select_related("decision", "call__funder")  # read once, when shown
                     .order_by("call_id", "case_number"))
    return report
