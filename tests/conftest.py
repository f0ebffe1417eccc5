"""Shared fixtures: funders, people, the real browser and the real Celery worker."""

import os
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from fundportal.celery import app as celery_app

from fundportal.models import Role
from fundportal.tenancy import scope
from tests.factories import FunderFactory, UserFactory, staff
from tests.signing_in import StrongClient
from datetime import timedelta

from django.utils import timezone

from calls.models import Question, Section, Stage
from calls.services import call_publish, call_set_eligibility, call_set_periods, call_set_pipeline
from tests.factories import CallFactory, FundFactory

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
def client():
    """A browser that has picked English, so assertions read in one language; people it signs in (force_login)
    sign in with two factors and have just confirmed it is them (tests/signing_in.py)."""
    browser = StrongClient()
    browser.cookies["django_language"] = "en"
    return browser


@pytest.fixture(autouse=True)
def _celery_in_process_unless_on_the_worker(request):
    """Tests run tasks in-process, except those that use the real worker."""
    if "celery_worker_process" in request.fixturenames:
        yield
        return
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


class Worker:
    """A real ``celery worker`` process on the test database and the Redis broker; can be killed and restarted."""

    def __init__(self, environment, log):
        self.environment, self.log, self.process = environment, log, None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "fundportal", "worker", "--pool=solo", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "--loglevel=INFO", f"--logfile={self.log}"],
            cwd=settings.BASE_DIR, env=self.environment,
        )
        deadline = time.monotonic() + 30
        while not celery_app.control.ping(timeout=0.5):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.process.kill()
                pytest.fail("The Celery worker did not start:\n" + (self.log.read_text() if self.log.exists() else ""))

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        if self.alive():
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture(scope="session")
def _worker(django_db_setup, django_db_blocker, tmp_path_factory):
    if not settings.CELERY_BROKER_URL:
        service_unavailable("CELERY_BROKER_URL is not set: no Redis broker for a real worker")
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            service_unavailable("the worker shares the test database, which needs PostgreSQL")
        test_database = connection.settings_dict["NAME"]
    url = urlsplit(os.environ["DATABASE_URL"])
    media = tmp_path_factory.mktemp("worker-media")
    environment = {**os.environ, "DATABASE_URL": urlunsplit(url._replace(path="/" + test_database)), "MEDIA_ROOT": str(media)}
    celery_app.control.purge()
    worker = Worker(environment, tmp_path_factory.mktemp("worker") / "worker.log")
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def celery_worker_process(_worker, settings):
    """The real worker, restarted first if an earlier test killed it; it and the test share stored files."""
    settings.MEDIA_ROOT = _worker.environment["MEDIA_ROOT"]
    if not _worker.alive():
        _worker.start()
    return _worker


def wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def open_call(funder):
    fund = FundFactory(funder=funder, name="Innovationsfonden", code="IF")
    call = CallFactory(fund=fund, slug="innovationsfonden", title={"en": "Innovation Fund"},
                       application_types=["new", "continuation", "implementation"])
    now = timezone.now()
    with scope(funder=funder):
        call_set_periods(call=call, periods=[{"opens_at": now - timedelta(days=10), "closes_at": now + timedelta(days=10)}])
        call_set_pipeline(call=call, stages=[(Stage.Kind.SCREENING, "Screening"), (Stage.Kind.DECISION, "Decision")])
        call_set_eligibility(call=call, questions=[{
            "text": {"en": "Do you work at least half time in Region Stockholm?"}, "eligible_answer": True,
            "reason_if_not": {"en": "Only people who work at least half time in the region may apply."}}])
        project = Section.objects.create(funder=funder, call=call, position=0, title={"en": "The project"})
        Question.objects.create(funder=funder, section=project, position=0, kind="long_text", label={"en": "Purpose"},
                                settings={"max_words": 5})
        Question.objects.create(funder=funder, section=project, position=1, kind="declaration",
                                label={"en": "The result is owned by Region Stockholm"})
        money = Section.objects.create(funder=funder, call=call, position=1, title={"en": "Money"})
        Question.objects.create(funder=funder, section=money, position=0, kind="budget", label={"en": "Budget"},
                                settings={"cost_categories": ["personnel", "direct_costs"], "years": 2})
        Question.objects.create(funder=funder, section=money, position=1, kind="file", label={"en": "Quote"},
                                required=False, settings={"allowed_types": ["pdf"], "max_size_mb": 1})
        call_publish(call=call, by=staff(funder))
    return call


@pytest.fixture
def applicant(db):
    return UserFactory(email="annika@karolinska.example")
