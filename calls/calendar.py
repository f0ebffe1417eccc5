"""An iCalendar (RFC 5545) of application deadlines: one event per period's closing time."""

from datetime import timezone as dt_timezone

from django.utils import timezone
from django.utils.translation import gettext as _


def _escape(text):
    return str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line):
    """Lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _utc(moment):
    return moment.astimezone(dt_timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def deadlines_ics(funder, calls, url_for):
    calendar_name = _("Deadlines — %(funder)s") % {"funder": funder.name}
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//FundPortal//Deadlines//EN", "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(calendar_name)}",
        f"X-WR-TIMEZONE:{funder.time_zone}",
    ]
    stamp = _utc(timezone.now())
    for call in calls:
        for period in call.periods.all():
            summary = _("Deadline: %(call)s") % {"call": call.display_title}
            lines += [
                "BEGIN:VEVENT",
                f"UID:period-{period.pk}@{funder.slug}.fundportal",
                f"DTSTAMP:{stamp}",
                f"DTSTART:{_utc(period.closes_at)}",
                f"DTEND:{_utc(period.closes_at)}",
                f"SUMMARY:{_escape(summary)}",
                f"URL:{url_for(call)}",
                f"DESCRIPTION:{_escape(url_for(call))}",
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
