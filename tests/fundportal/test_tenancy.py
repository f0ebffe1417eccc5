"""The first law: no query, cache key or file path reaches another funder's data."""

import pytest
from django.core.cache import cache
from django_scopes.exceptions import ScopeError

from applications.models import Application
from calls.models import Call
from fundportal.models import Membership
from fundportal.tenancy import funder_file_path, scope
from tests.factories import ApplicationFactory, CallFactory, FunderFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Call, Application, Membership])
def test_a_funder_owned_query_with_no_active_funder_raises(model):
    with pytest.raises(ScopeError):
        list(model.objects.all())


def test_a_models_own_query_method_with_no_active_funder_raises_too():
    with pytest.raises(ScopeError):
        Membership.objects.panel()


def test_inside_a_funder_scope_only_that_funders_rows_are_visible(funder, other_funder):
    ours = CallFactory(fund__funder=funder, title="Innovationsfonden 2024")
    CallFactory(fund__funder=other_funder, title="Innovasjonsprosjekt i offentlig sektor")

    with scope(funder=funder):
        assert list(Call.objects.all()) == [ours]
        with pytest.raises(Call.DoesNotExist):
            Call.objects.get(title="Innovasjonsprosjekt i offentlig sektor")


def test_related_managers_are_scoped_too(funder, other_funder):
    application = ApplicationFactory(call__fund__funder=funder)
    with scope(funder=other_funder):
        assert not application.call.applications.exists()
    with scope(funder=funder):
        assert list(application.call.applications.all()) == [application]


def test_cache_keys_carry_the_active_funder(funder, other_funder):
    with scope(funder=funder):
        cache.set("dashboard-figures", "Region Stockholm's figures")
    with scope(funder=other_funder):
        assert cache.get("dashboard-figures") is None
        cache.set("dashboard-figures", "Forskningsrådet's figures")
    with scope(funder=funder):
        assert cache.get("dashboard-figures") == "Region Stockholm's figures"
    assert cache.get("dashboard-figures") is None  # no funder: the global key space


def test_stored_file_paths_are_per_funder_and_never_keep_the_uploaded_name(funder):
    path = funder_file_path(funder, "attachments", "../../Budget Ärende.PDF")
    assert path.startswith("funders/region-stockholm/attachments/")
    assert path.endswith(".pdf")
    assert "Budget" not in path and ".." not in path


def test_memberships_are_per_funder(funder, other_funder):
    membership = MembershipFactory(funder=funder)
    with scope(funder=other_funder):
        assert not Membership.objects.filter(user=membership.user).exists()


def test_reserved_words_cannot_be_funder_addresses():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        FunderFactory.build(slug="accounts", name="x", short_name="x").full_clean()

