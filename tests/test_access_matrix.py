"""Walk the access matrix (tests/access_matrix.py): every page, as every kind of person, in every state that matters.

The portal's pages come from its URL configuration, so a new page without a row fails here, and so does a row
for a page that is gone. Each state's world is built once and every cell of the table is asked of it; a failure
lists every disagreement at once (page, person, state, what the table says, what the portal answered).
"""

import pytest
from django.urls import URLPattern, get_resolver, reverse

from tests.access_matrix import LOGIN, MATRIX, PEOPLE, STATES, answer, describe
from tests.access_world import build_world
from tests.fundportal.test_isolation_sweep import funder_routes
from tests.fundportal.test_permissions_declared import OUR_APPS
from tests.signing_in import StrongClient

# Where a page's URL argument is not simply the world's value of that name.
ARGUMENT_FOR = {
    "applications:manager_approval": {"token": "manager_token"},
    "calls:subscription_confirm": {"token": "subscription_token"},
    "calls:subscription_cancel": {"token": "subscription_token"},
    "calls:manage_action": {"action": "call_action"},
    "calls:manage_form_action": {"action": "form_action"},
    "applications:report_export": {"extension": "report_extension"},
}
ONLY_WHILE_ASSIGNED = {"assignment_id"}  # arguments a world has only once reviewers are assigned


def portal_pages():
    """{url name: argument names} for every page of the portal's own apps, at the top level and under a funder."""
    pages = {name: ("funder_slug", *arguments) for name, _view, arguments in funder_routes()}
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLPattern) and pattern.name:
            view = getattr(pattern.callback, "view_class", pattern.callback)
            if view.__module__.startswith(OUR_APPS):
                pages[pattern.name] = tuple(pattern.pattern.converters)
    return pages


PAGES = portal_pages()


def test_the_table_has_a_row_for_every_page():
    assert len(PAGES) >= 70
    missing = sorted(set(PAGES) - set(MATRIX))
    assert not missing, f"pages with no row in tests/access_matrix.py: {missing}"


def test_every_row_is_a_page_that_exists():
    unknown = sorted(set(MATRIX) - set(PAGES))
    assert not unknown, f"rows in tests/access_matrix.py for pages that do not exist: {unknown}"


def test_every_row_answers_for_every_person_in_every_state():
    for name, row in MATRIX.items():
        assert set(row) == set(PEOPLE), name
        for person, cell in row.items():
            assert not isinstance(cell, dict) or set(cell) == set(STATES), (name, person)


def url_of(name, arguments, values):
    """The page's address in this world, or None when the world has nothing for one of its arguments."""
    kwargs = {}
    for argument in arguments:
        value = values.get(ARGUMENT_FOR.get(name, {}).get(argument, argument))
        if value is None:
            assert argument in ONLY_WHILE_ASSIGNED, f"the world has no {argument!r} for {name}"
            return None
        kwargs[argument] = value
    return reverse(name, kwargs=kwargs)


def answer_of(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return LOGIN
    if response.status_code in (301, 302):
        return f"{response.status_code} to {response['Location']}"
    return response.status_code


def browser_of(user):
    # a server error is an answer the table can disagree with; people sign in as strongly as the portal may ask
    browser = StrongClient(raise_request_exception=False)
    browser.cookies["django_language"] = "en"
    if user is not None:
        browser.force_login(user)
    return browser


@pytest.mark.django_db
@pytest.mark.parametrize("state", STATES)
def test_the_portal_answers_every_person_as_the_table_says(funder, other_funder, state):
    world = build_world(state, funder, other_funder)
    disagreements, walked = [], 0
    for person, user in world.people.items():
        browser = browser_of(user)
        values = {**world.arguments, **world.per_person.get(person, {})}
        for name, arguments in sorted(PAGES.items()):
            if name not in MATRIX:
                continue  # test_the_table_has_a_row_for_every_page names it
            url = url_of(name, arguments, values)
            if url is None:
                continue
            walked += 1
            expected, actual = answer(name, person, state), answer_of(browser.get(url))
            if actual != expected:
                disagreements.append(f"{name} ({url}) as {person}: the table says {describe(expected)}, "
                                     f"the portal answers {describe(actual)}")
    assert walked >= len(set(PAGES) & set(MATRIX)) * len(PEOPLE) - len(PEOPLE)
    assert not disagreements, f"{len(disagreements)} disagreements in state {state}:\n" + "\n".join(disagreements)
