"""Settings come from the environment; production mode passes Django's deploy checks."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def run_manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "FUNDPORTAL_"))}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True
    )


PRODUCTION = {
    "FUNDPORTAL_ENV": "production",
    "DJANGO_SECRET_KEY": "k" * 30 + "-a-real-secret-from-the-environment-" + "z" * 20,
    "DJANGO_ALLOWED_HOSTS": "portal.example.se",
    "PORTAL_URL": "https://portal.example.se",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


def production_without(name, **env):
    return {**{key: value for key, value in PRODUCTION.items() if key != name}, **env}


def test_production_mode_passes_the_deploy_checks():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = run_manage("check", **production_without("DJANGO_SECRET_KEY"))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("backend", [None, "fundportal.mail.LocalMailboxBackend",
                                     "django.core.mail.backends.console.EmailBackend"])
def test_production_refuses_to_start_without_a_backend_that_delivers_mail(backend):
    env = production_without("EMAIL_BACKEND", **({"EMAIL_BACKEND": backend} if backend else {}))
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "EMAIL_BACKEND must name a backend that delivers mail in production" in result.stderr


def test_production_refuses_to_start_without_its_public_address():
    result = run_manage("check", **production_without("PORTAL_URL"))
    assert result.returncode != 0
    assert "PORTAL_URL must be set in production" in result.stderr


def test_production_has_no_local_mailbox():
    probe = ("from django.urls import NoReverseMatch, reverse\n"
             "for name in ('mailbox', 'mailbox_new_account'):\n"
             "    try: print(reverse(name))\n"
             "    except NoReverseMatch: print('no', name)")
    production = run_manage("shell", "-v", "0", "-c", probe, **PRODUCTION)
    assert production.stdout.split() == ["no", "mailbox", "no", "mailbox_new_account"], production.stderr
    development = run_manage("shell", "-v", "0", "-c", probe)
    assert development.stdout.split() == ["/mailbox/", "/mailbox/new-account/"], development.stderr


def test_links_in_emails_point_where_make_run_serves():
    """`PORT=8123 make run` serves on 8123, so the links in the demo's emails must point there too."""
    dry_run = subprocess.run(["make", "-n", "run", "PORT=8123"], cwd=settings.BASE_DIR, capture_output=True,
                             text=True, env={key: value for key, value in os.environ.items() if key != "PORTAL_URL"})
    assert "PORTAL_URL=http://127.0.0.1:8123 " in dry_run.stdout and "runserver 127.0.0.1:8123" in dry_run.stdout
    probe = "from fundportal.links import absolute; print(absolute('/region-stockholm/'))"
    assert run_manage("shell", "-v", "0", "-c", probe, PORTAL_URL="http://127.0.0.1:8123").stdout.strip() == (
        "http://127.0.0.1:8123/region-stockholm/")
