"""Settings come from the environment; production mode passes Django's deploy checks."""

import os
import subprocess
import sys

from django.conf import settings


def run_manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "FUNDPORTAL_"))}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True
    )


def test_production_mode_passes_the_deploy_checks():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        FUNDPORTAL_ENV="production",
        DJANGO_SECRET_KEY="k" * 30 + "-a-real-secret-from-the-environment-" + "z" * 20,
        DJANGO_ALLOWED_HOSTS="portal.example.se",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = run_manage("check", FUNDPORTAL_ENV="production", DJANGO_ALLOWED_HOSTS="portal.example.se")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
