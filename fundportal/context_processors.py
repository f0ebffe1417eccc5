from django.conf import settings


def portal(request):
    """The active funder and the languages on offer."""
    funder = getattr(request, "funder", None)
    return {
        "funder": funder,
        "portal_languages": settings.LANGUAGES,
    }
