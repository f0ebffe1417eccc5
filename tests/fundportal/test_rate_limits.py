"""Behind a reverse proxy the login rate limit counts each client, not the proxy that all requests come through."""

import pytest
from django.urls import reverse

from tests.fundportal.test_settings import run_manage

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts. Try again later."


def fail_to_sign_in(client, forwarded_for, attempt):
    return client.post(reverse("account_login"), {"login": f"nobody{attempt}@example.se", "password": "wrong"},
                       HTTP_X_FORWARDED_FOR=forwarded_for, REMOTE_ADDR="10.0.0.2").content.decode()


def test_two_clients_behind_the_proxy_are_rate_limited_separately(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # FUNDPORTAL_TRUSTED_PROXY_COUNT=1: one proxy of ours in front
    for attempt in range(10):
        assert TOO_MANY not in fail_to_sign_in(client, "203.0.113.7", attempt)
    assert TOO_MANY in fail_to_sign_in(client, "203.0.113.7", 10)
    assert TOO_MANY not in fail_to_sign_in(client, "198.51.100.9", 11)  # someone else, same proxy


def test_a_client_cannot_dodge_the_limit_by_inventing_addresses_before_the_proxys(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for attempt in range(11):
        page = fail_to_sign_in(client, f"192.0.2.{attempt}, 203.0.113.7", attempt)  # the proxy appends the real one
    assert TOO_MANY in page


def test_the_proxy_settings_come_from_the_environment():
    probe = "from django.conf import settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    assert run_manage("shell", "-v", "0", "-c", probe).stdout.split() == ["0", "None"]
    configured = run_manage("shell", "-v", "0", "-c", probe, FUNDPORTAL_TRUSTED_PROXY_COUNT="1",
                            FUNDPORTAL_CLIENT_IP_HEADER="X-Real-IP")
    assert configured.stdout.split() == ["1", "X-Real-IP"], configured.stderr
