"""Every page names the permission it needs; a view without one fails here."""

import pytest
import rules
from django.urls import URLPattern, URLResolver, get_resolver

OUR_APPS = ("fundportal.", "calls.", "applications.", "review.")


def our_views(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from our_views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "view_class", pattern.callback)
            if view.__module__.startswith(OUR_APPS):
                yield prefix + str(pattern.pattern), view


VIEWS = sorted(our_views(), key=lambda item: item[0])


def test_the_portal_has_pages_to_check():
    assert len(VIEWS) >= 5


@pytest.mark.parametrize(("route", "view"), VIEWS, ids=[route for route, _view in VIEWS])
def test_every_view_declares_a_known_permission(route, view):
    permission = getattr(view, "permission_required", None)
    assert permission, f"{view.__name__} ({route}) declares no permission_required"
    assert rules.perm_exists(permission), f"{view.__name__} names unknown permission {permission!r}"
