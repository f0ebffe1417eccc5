"""Sweep every funder URL: another funder's people get 404, and one funder's objects never show under another."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from calls.notices import subscription_token
from calls.models import Subscriber
from fundportal.models import Role
from fundportal.tenancy import scopes_disabled
from tests.factories import CallFactory, staff

pytestmark = pytest.mark.django_db


def funder_routes(patterns=None, namespace=""):
    """(url name, view class) for every pattern under /<funder_slug>/."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if patterns is None and "funder_slug" not in str(pattern.pattern):
                continue
            yield from funder_routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and patterns is not None:
            yield namespace + pattern.name, pattern.callback.view_class


ROUTES = sorted(set(funder_routes()), key=lambda route: route[0])
STAFF_ROUTES = [(name, view) for name, view in ROUTES if view.permission_required != "fundportal.view_public"]


@pytest.fixture
def world(funder, other_funder):
    """Objects of ``funder`` for each kind of URL argument."""
    call = CallFactory(fund__funder=funder, slug="innovationsfonden-2024")
    with scopes_disabled():
        subscriber = Subscriber.objects.create(funder=funder, email="anna@example.se", language="sv")
    return {"call_slug": call.slug, "token": subscription_token(subscriber)}


def url_for(name, funder, world):
    from django.urls import NoReverseMatch

    for extra in ({}, {"call_slug": world["call_slug"]}, {"token": world["token"]}):
        try:
            return reverse(name, kwargs={"funder_slug": funder.slug, **extra}), bool(extra)
        except NoReverseMatch:
            continue
    pytest.fail(f"The sweep has no sample argument for {name}: add one to the world fixture")


def test_the_sweep_covers_the_funder_pages():
    assert len(ROUTES) >= 8 and len(STAFF_ROUTES) >= 2


@pytest.mark.parametrize(("name", "view"), STAFF_ROUTES, ids=[name for name, _view in STAFF_ROUTES])
def test_another_funders_administrator_gets_404_on_staff_pages(client, funder, other_funder, world, name, view):
    client.force_login(staff(other_funder, Role.ADMINISTRATOR))
    url, _has_object = url_for(name, funder, world)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(("name", "view"), ROUTES, ids=[name for name, _view in ROUTES])
def test_one_funders_object_is_not_found_under_another_funders_address(client, funder, other_funder, world, name, view):
    url, has_object = url_for(name, funder, world)
    if not has_object:
        pytest.skip("no object in this address")
    client.force_login(staff(other_funder, Role.ADMINISTRATOR))
    assert client.get(url.replace(f"/{funder.slug}/", f"/{other_funder.slug}/", 1)).status_code == 404
