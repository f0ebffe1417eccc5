"""Template helpers: money and dates the way each language writes them."""

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import dateformat, formats, timezone, translation

from fundportal.translated import translated

register = template.Library()

# Where the currency goes, per language: Swedish and Norwegian write "1 245 497 kr".
LOCAL_CURRENCY_SIGNS = {"sv": {"SEK": "kr"}, "nb": {"NOK": "kr"}}


@register.filter
def money(amount, currency):
    """``1245497|money:"SEK"`` → "1 245 497 kr" in Swedish, "SEK 1,245,497" in English.

    Whole units; the spaces are no-break spaces so an amount never splits over lines.
    """
    if amount in (None, ""):
        return ""
    language = (translation.get_language() or "en").split("-")[0]
    number = formats.number_format(Decimal(amount).quantize(Decimal(1)), decimal_pos=0, use_l10n=True, force_grouping=True)
    number = number.replace(" ", "\xa0")
    sign = LOCAL_CURRENCY_SIGNS.get(language, {}).get(currency)
    if sign:
        return f"{number}\xa0{sign}"
    if language in ("sv", "nb"):
        return f"{number}\xa0{currency}"
    return f"{currency}\xa0{number}"


@register.filter(name="translated")
def translated_filter(texts, fallback_language=None):
    """``call.summary|translated:funder.default_language`` → the text in the reader's language."""
    return translated(texts, fallback_language)


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key, "")


# How each language writes a day: "1 March 2027", "1 mars 2027", "1. mars 2027".
DAY_FORMATS = {"nb": "j. F Y"}


@register.filter
def when(value, part=""):
    """Every date the pages show, one way per language: ``closes_at|when`` → "1 March 2027 09:00" (in the active time
    zone), ``closes_at|when:"day"`` and a plain date → "1 March 2027"."""
    if not isinstance(value, date):
        return ""
    language = (translation.get_language() or "en").split("-")[0]
    pattern = DAY_FORMATS.get(language, "j F Y")
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        if part != "day":
            pattern += " H:i"
    return dateformat.format(value, pattern)
