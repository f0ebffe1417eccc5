"""An iCalendar (RFC 5545) of application deadlines: one event per period's closing time.

The icalendar library escapes, types and folds the lines; this module only says what is in the calendar.
"""

from collections.abc import Callable, Iterable
from datetime import datetime, timezone as dt_timezone

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vText

from calls.models import Call, Period
from fundportal.models import Funder


def _utc(moment: datetime) -> datetime:
    """Every time in UTC, written with a trailing Z, so that no VTIMEZONE is needed."""
    return moment.astimezone(dt_timezone.utc)


def _deadline_event(*, funder: Funder, call: Call, period: Period, url: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"period-{period.pk}@{funder.slug}.fundportal")
    event.add("dtstamp", stamp)
    event.add("dtstart", _utc(period.closes_at))
    event.add("dtend", _utc(period.closes_at))
    event.add("summary", _("Deadline: %(call)s") % {"call": call.display_title})
    event.add("url", url)
    event.add("description", url)
    return event


def deadlines_ics(funder: Funder, calls: Iterable[Call], url_for: Callable[[Call], str]) -> str:
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", "-//FundPortal//Deadlines//EN")
    calendar.add("calscale", "GREGORIAN")
    # X- properties have no known type, so the name is marked as TEXT to be escaped like one.
    calendar.add("x-wr-calname", vText(_("Deadlines — %(funder)s") % {"funder": funder.name}))
    calendar.add("x-wr-timezone", funder.time_zone)
    stamp = _utc(timezone.now())
    for call in calls:
        for period in call.periods.all():
            calendar.add_component(_deadline_event(
                funder=funder, call=call, period=period, url=url_for(call), stamp=stamp))
    return calendar.to_ical().decode()
