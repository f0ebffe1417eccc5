from django.conf import settings


def portal(request):
    """The active funder, the languages on offer and whether the local mailbox exists (development only)."""
    funder = getattr(request, "funder", None)
    return {
        "funder": funder,
        "portal_languages": settings.LANGUAGES,
        "local_mailbox": settings.LOCAL_MAILBOX,
    }
