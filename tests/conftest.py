"""Shared fixtures: funders, people, the real browser and the real Celery worker."""

import os

import pytest

from fundportal.models import Role
from tests.factories import FunderFactory, UserFactory, staff

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside live_server

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True)
def _plain_settings(settings, tmp_path):
    from django.core.cache import cache

    cache.clear()  # the real Redis cache outlives a test
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def funder(db):
    return FunderFactory(name="Region Stockholm", slug="region-stockholm", short_name="RS")


@pytest.fixture
def other_funder(db):
    return FunderFactory(name="Forskningsrådet", slug="forskningsradet", short_name="NFR", default_language="nb")


@pytest.fixture
def people(funder):
    """One person per role at ``funder``, plus an applicant with no role."""
    return {
        "administrator": staff(funder, Role.ADMINISTRATOR),
        "screener": staff(funder, Role.SCREENER),
        "panel_member": staff(funder, Role.PANEL_MEMBER),
        "steering_member": staff(funder, Role.STEERING_MEMBER),
        "applicant": UserFactory(),
    }


def service_unavailable(reason):
    """A test that needs a real service fails in CI and skips on a laptop."""
    if IN_CI:
        pytest.fail(f"CI must provide this service: {reason}")
    pytest.skip(reason)


@pytest.fixture
def mailoutbox_to_db(settings):
    """Deliver mail to the local mailbox (the project default) instead of pytest-django's memory outbox."""
    settings.EMAIL_BACKEND = "fundportal.mail.LocalMailboxBackend"


@pytest.fixture
def client(client):
    """A browser that has picked English, so assertions read in one language."""
    client.cookies["django_language"] = "en"
    return client
