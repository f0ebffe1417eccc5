"""Tasks run on a real Celery worker over Redis, each inside its own funder's scope."""

import os
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from fundportal.celery import app as celery_app
from fundportal.models import LocalMail, OutboxEmail
from fundportal.services import email_queue
from fundportal.tasks import send_outbox_email
from fundportal.tenancy import scope
from tests.conftest import service_unavailable

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real ``celery worker`` process on the test database and the Redis broker."""
    if not settings.CELERY_BROKER_URL:
        service_unavailable("CELERY_BROKER_URL is not set: no Redis broker for a real worker")
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            service_unavailable("the worker shares the test database, which needs PostgreSQL")
        test_database = connection.settings_dict["NAME"]
    url = urlsplit(os.environ["DATABASE_URL"])
    environment = {**os.environ, "DATABASE_URL": urlunsplit(url._replace(path="/" + test_database))}
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    celery_app.control.purge()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "fundportal", "worker", "--pool=solo", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "--loglevel=INFO", f"--logfile={log}"],
        cwd=settings.BASE_DIR, env=environment,
    )
    deadline = time.monotonic() + 30
    while not celery_app.control.ping(timeout=0.5):
        if time.monotonic() > deadline or worker.poll() is not None:
            worker.kill()
            pytest.fail("The Celery worker did not start:\n" + (log.read_text() if log.exists() else ""))
    yield worker
    worker.terminate()
    worker.wait(timeout=20)


def wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_an_outbox_email_is_sent_once_by_the_real_worker(celery_worker_process, funder):
    with scope(funder=funder):
        email = email_queue(
            funder=funder, recipient="anna@example.org", subject="Ansökan mottagen", body="Tack!",
            kind="receipt", occasion="receipt:1",
        )
        again = email_queue(
            funder=funder, recipient="anna@example.org", subject="Ansökan mottagen", body="Tack!",
            kind="receipt", occasion="receipt:1",
        )
        assert again.pk == email.pk
        assert wait_for(lambda: OutboxEmail.objects.get(pk=email.pk).status == OutboxEmail.Status.SENT)
    assert LocalMail.objects.filter(recipient="anna@example.org", subject="Ansökan mottagen").count() == 1


def test_a_task_for_one_funder_cannot_reach_another_funders_rows(celery_worker_process, funder, other_funder):
    with scope(funder=other_funder):
        theirs = OutboxEmail.objects.create(
            funder=other_funder, recipient="ola@example.no", subject="Søknad mottatt", body="Takk!",
            kind="receipt", occasion="receipt:9",
        )
    result = send_outbox_email.apply_async(kwargs={"funder_id": funder.pk, "email_id": theirs.pk})
    assert result.get(timeout=20) == "missing"
    with scope(funder=other_funder):
        assert OutboxEmail.objects.get(pk=theirs.pk).status == OutboxEmail.Status.PENDING
    assert not LocalMail.objects.filter(recipient="ola@example.no").exists()


def test_a_task_queued_without_a_funder_fails_loudly(celery_worker_process):
    result = send_outbox_email.apply_async(kwargs={"email_id": 1})
    with pytest.raises(TypeError, match="funder_id"):
        result.get(timeout=20)
