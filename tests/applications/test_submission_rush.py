"""Submissions to one fund at the same moment, on PostgreSQL: the case number's lock is held only while a submission
is stored, never while its receipt's PDF is rendered, so one slow receipt holds up no other submission (what a rush
before a deadline needs; manage.py deadline_spike measures it against gunicorn)."""

import threading

import pytest
from django.db import connection

from applications.submission import application_submit
from fundportal.models import OutboxEmail
from fundportal.tenancy import scope
from tests.applications.test_applying import fill_everything
from tests.applications.test_hostile_applying import a_draft, in_a_thread
from tests.conftest import service_unavailable
from tests.factories import ApplicationFactory, UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_submission_whose_receipt_is_still_rendering_holds_up_no_other_submission(client, funder, open_call,
                                                                                   applicant, monkeypatch):
    if connection.vendor != "postgresql":
        service_unavailable("the race needs PostgreSQL's row locks")
    first = a_draft(client, funder, open_call, applicant)
    fill_everything(client, funder, open_call, first)
    first.refresh_from_db()
    with scope(funder=funder):
        second = ApplicationFactory(call=open_call, period=first.period, applicant=UserFactory(), title="Second",
                                    answers=first.answers, amount_requested=first.amount_requested)
    rendering, release = threading.Event(), threading.Event()

    def slow_for_the_first(application, answers):
        if application.pk == first.pk:
            rendering.set()
            release.wait(20)
        return b"%PDF-1.4 receipt"

    monkeypatch.setattr("applications.notices.application_pdf", slow_for_the_first)

    def submitting(draft):
        def submit():
            with scope(funder=funder):
                return application_submit(application=draft, by=draft.applicant)
        return in_a_thread(submit)

    slow, slow_outcome = submitting(first)
    quick, quick_outcome = submitting(second)
    slow.start()
    assert rendering.wait(10)
    quick.start()
    quick.join(10)
    try:
        assert not quick.is_alive(), "the second submission waited for the first one's receipt"
        assert quick_outcome[0].case_number.endswith("-0002")
    finally:
        release.set()
        slow.join(20)
        quick.join(20)
    assert slow_outcome[0].case_number.endswith("-0001")
    with scope(funder=funder):
        assert OutboxEmail.objects.filter(kind="receipt").count() == 2  # each receipt once, the slow one too
