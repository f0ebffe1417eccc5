from django.conf import settings

from fundportal.selectors import roles_at


def portal(request):
    """The active funder, the visitor's roles there and the languages on offer."""
    funder = getattr(request, "funder", None)
    return {
        "funder": funder,
        "funder_roles": roles_at(getattr(request, "user", None), funder),
        "portal_languages": settings.LANGUAGES,
    }
