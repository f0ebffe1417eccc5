"""What the audit trail's tests of each app share: a request from behind the proxy, the funder's events, and its
administrator."""

import pytest

from fundportal.models import AuditEvent, Role
from fundportal.tenancy import scope
from tests.factories import staff

Kind = AuditEvent.Kind
PROXY = {"HTTP_X_FORWARDED_FOR": "198.51.100.4", "REMOTE_ADDR": "10.0.0.1"}  # the client, then the proxy's own address
CLIENT_ADDRESS = "198.51.100.4"


@pytest.fixture(autouse=True)
def behind_the_proxy(settings):
    """One proxy in front (deploy/nginx.conf), trusted to name the client."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def events(funder, **filters):
    """The funder's audit events matching ``filters``, oldest first."""
    with scope(funder=funder):
        return list(AuditEvent.objects.filter(**filters).order_by("id"))


@pytest.fixture
def admin(funder):
    return staff(funder, Role.ADMINISTRATOR, user__email="admin@rs.example")
