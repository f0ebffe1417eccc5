"""Tasks run on a real Celery worker over Redis, each inside its own funder's scope."""

import pytest

from fundportal.models import LocalMail, OutboxEmail
from fundportal.outbox import email_queue
from fundportal.tasks import send_outbox_email
from fundportal.tenancy import scope
from tests.conftest import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


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


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(celery_worker_process, funder):
    """Kill the real worker with SIGKILL while it sends 30 emails; a new worker and the sweep finish the rest."""
    import os
    import signal
    from datetime import timedelta

    from fundportal.outbox import outbox_send
    from fundportal.tasks import outbox_requeue_stuck

    with scope(funder=funder):
        drafts = [email_queue(funder=funder, recipient=f"person{n}@example.se", subject=f"Beslut {n}", body="…",
                              kind="decision", occasion=f"decision:{n}", draft=True) for n in range(30)]
        outbox_send(emails=drafts)
    assert wait_for(lambda: LocalMail.objects.count() >= 3)
    os.kill(celery_worker_process.process.pid, signal.SIGKILL)
    celery_worker_process.process.wait(timeout=10)
    with scope(funder=funder):
        assert OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).exists(), "the batch finished before the kill"

    celery_worker_process.start()  # a new worker takes what is still queued
    with scope(funder=funder):
        outbox_requeue_stuck(funder=funder, older_than=timedelta(0))  # and the sweep re-queues what the dead one held
        assert wait_for(lambda: not OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).exists(), seconds=60)
    counts = [LocalMail.objects.filter(recipient=f"person{n}@example.se").count() for n in range(30)]
    assert counts == [1] * 30
