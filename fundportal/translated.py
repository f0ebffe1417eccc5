"""Texts a funder writes in one or more of the portal's languages.

Stored as a JSON object per field, e.g. ``{"sv": "Innovationsfonden 2024", "en": "…"}``;
read with :func:`translated`, which falls back to the funder's language, then any.
"""

from django.conf import settings
from django.utils import translation


def translated(texts, fallback_language=None):
    if not texts:
        return ""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    for candidate in (language, fallback_language):
        if candidate and texts.get(candidate):
            return texts[candidate]
    return next((text for text in texts.values() if text), "")
