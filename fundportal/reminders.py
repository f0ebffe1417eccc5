"""When a reminder is due: at a set local time of day, counted in the funder's own calendar.

Working in local dates and times keeps reminders at 09:00 whatever the daylight-saving
offset is on that day; comparing in UTC afterwards keeps the arithmetic exact.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

SEND_AT = time(9, 0)  # reminders go out at 09:00 local time


def moment_before(deadline, days, time_zone):
    """09:00 local time, ``days`` calendar days before the local date of ``deadline``."""
    zone = ZoneInfo(time_zone)
    local_day = deadline.astimezone(zone).date() - timedelta(days=days)
    return datetime.combine(local_day, SEND_AT, tzinfo=zone)


def moment_on(day, time_zone):
    return datetime.combine(day, SEND_AT, tzinfo=ZoneInfo(time_zone))
