"""Wording with {placeholders}: the texts funders write for emails and letters.

A funder's text is checked when it is saved — an unknown or malformed
placeholder is refused, naming it — so no email or letter goes out with a blank.
Values are shown the way the reader expects them: dates and times in the
funder's time zone and the reader's language, written as the pages write them.
"""

import string
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from fundportal.templatetags.portal import when


def validate_placeholders(text, allowed):
    """Refuse ``text`` if it uses a placeholder not in ``allowed`` or has an unmatched brace."""
    try:
        names = [name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name is not None]
    except ValueError as error:
        raise ValidationError(_("The text has an unmatched “{” or “}”: %(error)s") % {"error": error}) from error
    unknown = sorted({name for name in names if name not in allowed})
    if unknown:
        raise ValidationError(_("Unknown placeholder: %(names)s. Use one of: %(known)s.") % {
            "names": ", ".join(f"{{{name}}}" for name in unknown),
            "known": ", ".join(f"{{{name}}}" for name in allowed)})


def shown(value):
    """A placeholder value as text in the active language and time zone."""
    if callable(value):
        value = value()
    if isinstance(value, datetime):
        return f"{when(value)} ({timezone.get_current_timezone_name()})"
    if isinstance(value, date):
        return when(value)
    if value is None:
        return ""
    return str(value) if isinstance(value, Promise) else value


def fill(text, values):
    """``text`` with each {placeholder} replaced by its value (call inside the reader's language)."""
    return text.format_map({name: shown(value) for name, value in values.items()})


def wording_of(wordings, *, language, standard, **which):
    """(subject, body, the funder's own stored wording or None) of what ``which`` names in ``language``.

    ``wordings`` is the model of the funder's own texts (``EmailTemplate``, ``LetterTemplate``); without one of
    them, ``standard`` — the portal's (subject, body) — in that language.
    """
    own = wordings.objects.select_related("updated_by").filter(language=language, **which).first()
    if own:
        return own.subject, own.body, own
    subject, body = standard
    with translation.override(language):
        return str(subject), str(body), None


def worded(wordings, key):
    """What the active funder has its own wording of: {(kind or outcome, language)} (see ``wording_of``)."""
    return set(wordings.objects.values_list(key, "language"))
