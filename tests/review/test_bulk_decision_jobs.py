"""Bulk decisions in the background: the job a worker records turn by turn, re-checking each application when it
comes to it, and the page that follows it.

Budget 1 000 000; without reviews the ranking keeps the case numbers' order: Textilsvinn 450 000 and IVA-dagboken
400 000 fit above the funding line, Robyn 300 000 falls below it.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from fundportal.models import Membership, Role
from fundportal.services import membership_revoke
from fundportal.tenancy import scope
from review import bulk_jobs
from review.bulk_jobs import bulk_decision_job_run, bulk_decision_job_start
from review.decisions import decision_record
from review.models import Assignment, BulkDecisionJob, DecisionChange
from tests.conftest import service_unavailable, wait_for
from tests.factories import ApplicationFactory, CallFactory, FundFactory, staff
from tests.review.test_bulk_decisions import confirm, decided
from tests.review.test_concurrency import held_at, together

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(funder):
    return staff(funder, Role.ADMINISTRATOR, user__email="admin@example.se")


@pytest.fixture
def in_the_background(monkeypatch):
    """Every bulk decision confirmed goes to the worker, one application a turn."""
    monkeypatch.setattr(bulk_jobs, "AT_ONCE", 0)
    monkeypatch.setattr(bulk_jobs, "TURN", 1)


def queued(funder, call, by, outcome="granted", applications=None, reason=""):
    """A bulk decision confirmed but not yet taken by a worker (its task never runs here)."""
    with scope(funder=funder):
        return bulk_decision_job_start(call=call, by=by, outcome=outcome, reason=reason,
                                       application_ids=[application.pk for application in applications])


def page_of(client, job):
    return client.get(job_url(job))


def job_url(job):
    return reverse("review:bulk_decision_job", args=[job.call.funder.slug, job.call.slug, job.pk])


def run(funder, job):
    with scope(funder=funder):
        return bulk_decision_job_run(job=job)


def test_the_refusals_are_written_in_the_language_the_administrator_confirmed_in_whatever_the_worker_speaks(
        client, funder, at_panel, admin, in_the_background):
    textilsvinn, iva, _robyn = at_panel
    with translation.override("sv"):
        job = queued(funder, textilsvinn.call, admin, applications=[textilsvinn, iva])
    with scope(funder=funder):
        decision_record(application=iva, by=staff(funder, Role.STEERING_MEMBER), outcome="declined",
                        reason="Liknande projekt pågår redan.")
    with translation.override("en"):
        assert run(funder, job) == "done"
    client.force_login(admin)
    assert "<li>RS-IF-2026-0002: Den är redan beslutad: avslagen.</li>" in page_of(client, job).content.decode()


def test_an_application_decided_while_the_job_waited_is_refused_with_its_reason_not_overwritten(
        client, funder, at_panel, admin, in_the_background):
    textilsvinn, iva, _robyn = at_panel
    job = queued(funder, textilsvinn.call, admin, applications=[textilsvinn, iva])
    client.force_login(admin)
    assert "<strong>Waiting to start</strong>" in page_of(client, job).content.decode()
    with scope(funder=funder):
        decision_record(application=iva, by=staff(funder, Role.STEERING_MEMBER), outcome="declined",
                        reason="Liknande projekt pågår redan.")
    assert run(funder, job) == "done"

    page = page_of(client, job).content.decode()
    assert "<strong>Done</strong>" in page and "2 of 2 applications gone through" in page
    assert "1 application granted." in page and "1 application refused" in page
    assert "<li>RS-IF-2026-0002: It is already decided: declined.</li>" in page
    assert decided(funder) == {"Textilsvinn": ("granted", 450_000, ""),
                               "IVA-dagboken": ("declined", None, "Liknande projekt pågår redan.")}


def test_a_decider_who_declared_a_conflict_meanwhile_is_refused_for_that_application(
        client, funder, at_panel, admin, in_the_background):
    textilsvinn, iva, _robyn = at_panel
    job = queued(funder, textilsvinn.call, admin, applications=[textilsvinn, iva])
    with scope(funder=funder):
        Assignment.objects.create(funder=funder, application=iva, stage=iva.current_stage, reviewer=admin,
                                  has_conflict=True, conflict_note="Min bror leder projektet.")
    run(funder, job)
    client.force_login(admin)
    page = page_of(client, job).content.decode()
    assert "RS-IF-2026-0002: You have a conflict of interest with this application" in page
    assert decided(funder) == {"Textilsvinn": ("granted", 450_000, "")}


def test_a_decider_whose_role_was_taken_away_meanwhile_decides_nothing_more(
        client, funder, at_panel, in_the_background):
    steering = staff(funder, Role.STEERING_MEMBER, user__first_name="Stina", user__last_name="Styr")
    admin = staff(funder, Role.ADMINISTRATOR)
    textilsvinn, iva, _robyn = at_panel
    job = queued(funder, textilsvinn.call, steering, applications=[textilsvinn, iva])
    with scope(funder=funder):
        membership_revoke(membership=Membership.objects.get(user=steering), by=admin)
    run(funder, job)
    client.force_login(admin)
    page = page_of(client, job).content.decode()
    assert "0 applications granted." in page and "2 applications refused" in page
    assert "<li>RS-IF-2026-0001: Stina Styr may no longer decide applications.</li>" in page
    assert decided(funder) == {}


def test_the_line_is_found_again_when_the_worker_takes_the_job(client, funder, at_panel, admin, in_the_background):
    """The budget was cut after the grant was confirmed: IVA-dagboken no longer fits above the line."""
    textilsvinn, iva, _robyn = at_panel
    job = queued(funder, textilsvinn.call, admin, applications=[textilsvinn, iva])
    call = textilsvinn.call
    call.budget = 500_000
    call.save()
    run(funder, job)
    client.force_login(admin)
    assert "<li>RS-IF-2026-0002: It is not above the funding line of this ranking.</li>" in page_of(
        client, job).content.decode()
    assert decided(funder) == {"Textilsvinn": ("granted", 450_000, "")}


def test_the_jobs_own_declines_do_not_move_the_line_under_its_feet(client, funder, at_panel, admin, in_the_background):
    """Below the line: Robyn (300 000, where the sum passes the budget) and Ljuset (100 000). Once Robyn is declined
    the ranking counts nothing for it, and Ljuset would fit (950 000); declined in turns, both are declined still."""
    with scope(funder=funder):
        ljuset = ApplicationFactory(call=at_panel[0].call, state=at_panel[0].state, title="Ljuset",
                                    current_stage=at_panel[0].current_stage, amount_requested=100_000,
                                    case_number="RS-IF-2026-0004")
    job = queued(funder, at_panel[0].call, admin, outcome="declined", reason="Utanför budgeten.",
                 applications=[at_panel[2], ljuset])
    run(funder, job)
    assert decided(funder) == {"Robyn": ("declined", None, "Utanför budgeten."),
                               "Ljuset": ("declined", None, "Utanför budgeten.")}


@pytest.mark.parametrize("at_once", [0, 200], ids=["another job", "a few at once"])
def test_a_second_bulk_decision_on_the_call_is_refused_while_one_is_under_way(
        client, funder, at_panel, admin, monkeypatch, at_once):
    job = queued(funder, at_panel[0].call, admin, applications=at_panel[:2])
    monkeypatch.setattr(bulk_jobs, "AT_ONCE", at_once)
    client.force_login(admin)
    url = reverse("review:decline_below_line", args=[funder.slug, at_panel[0].call.slug])
    page = client.get(url).content.decode()
    assert "A bulk decision on this call is under way; wait until it is done." in page
    assert f'href="{job_url(job)}">See how far it has come' in page and "Confirm:" not in page

    refused = confirm(client, "review:decline_below_line", at_panel[0].call, reason="Utanför budgeten.")
    assert refused.status_code == 200
    assert "A bulk decision on this call is under way; wait until it is done." in refused.content.decode()
    with scope(funder=funder):
        assert BulkDecisionJob.objects.count() == 1
    assert decided(funder) == {}


def test_a_job_whose_worker_died_shows_as_failed_and_gives_way_to_a_new_one(
        client, funder, at_panel, admin, in_the_background):
    job = queued(funder, at_panel[0].call, admin, applications=at_panel[:2])
    with scope(funder=funder):  # taken by a worker that died after an hour's silence
        BulkDecisionJob.objects.filter(pk=job.pk).update(state="running", updated=timezone.now() - timedelta(hours=1))
    client.force_login(admin)
    page = page_of(client, job).content.decode()
    assert "<strong>Failed</strong>" in page and "The bulk decision stopped before the end" in page
    assert "hx-get" not in page  # the page no longer follows it
    assert run(funder, job) == "running"  # a redelivered task leaves a job another worker took alone
    assert decided(funder) == {}

    again = queued(funder, at_panel[0].call, admin, applications=at_panel[:2])
    run(funder, again)
    job.refresh_from_db()
    assert job.state == "failed" and job.finished is not None
    assert set(decided(funder)) == {"Textilsvinn", "IVA-dagboken"}


def test_a_redelivered_task_records_nothing_twice(funder, at_panel, admin, in_the_background):
    job = queued(funder, at_panel[0].call, admin, applications=at_panel[:2])
    assert run(funder, job) == "done"
    assert run(funder, job) == "done"
    with scope(funder=funder):
        assert DecisionChange.objects.count() == 2


def test_an_error_midway_fails_the_job_and_keeps_what_was_recorded(
        client, funder, at_panel, admin, in_the_background, monkeypatch):
    job = queued(funder, at_panel[0].call, admin, applications=at_panel[:2])
    record, turns = bulk_jobs.decisions_record_each, []

    def breaking_on_the_second_turn(**kwargs):
        turns.append(kwargs["application_ids"])
        if len(turns) == 2:
            raise RuntimeError("the database went away")
        return record(**kwargs)

    monkeypatch.setattr(bulk_jobs, "decisions_record_each", breaking_on_the_second_turn)
    assert run(funder, job) == "failed"
    client.force_login(admin)
    page = page_of(client, job).content.decode()
    assert "<strong>Failed</strong>" in page and "1 of 2 applications gone through" in page
    assert "1 application granted." in page
    assert decided(funder) == {"Textilsvinn": ("granted", 450_000, "")}


def test_the_job_page_follows_itself_while_under_way(client, funder, at_panel, admin, in_the_background):
    job = queued(funder, at_panel[0].call, admin, applications=at_panel[:2])
    client.force_login(admin)
    page = page_of(client, job).content.decode()
    assert f'hx-get="{job_url(job)}" hx-select="#bulk-progress"' in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "You may leave this page" in page


@pytest.mark.parametrize("role", [Role.SCREENER, Role.PANEL_MEMBER])
def test_staff_who_may_not_decide_do_not_find_the_job(client, funder, at_panel, admin, in_the_background, role):
    job = queued(funder, at_panel[0].call, admin, applications=at_panel[:2])
    client.force_login(staff(funder, role))
    assert page_of(client, job).status_code == 404


def test_another_decider_of_the_funder_may_follow_the_job(client, funder, at_panel, admin, in_the_background):
    job = queued(funder, at_panel[0].call, admin, applications=at_panel[:2])
    client.force_login(staff(funder, Role.STEERING_MEMBER))
    assert page_of(client, job).status_code == 200


def test_another_funders_job_is_not_found(client, funder, other_funder, at_panel, admin, in_the_background):
    job = queued(funder, at_panel[0].call, admin, applications=at_panel[:2])
    client.force_login(staff(other_funder, Role.ADMINISTRATOR))
    assert page_of(client, job).status_code == 404  # at the job's funder, where they hold no role
    theirs = CallFactory(fund=FundFactory(funder=other_funder), slug=job.call.slug)
    own_address = reverse("review:bulk_decision_job", args=[other_funder.slug, theirs.slug, job.pk])
    assert client.get(own_address).status_code == 404  # at their own funder, under a call of the same name


def test_a_job_under_another_call_of_the_funder_is_not_found(client, funder, at_panel, admin, in_the_background):
    job = queued(funder, at_panel[0].call, admin, applications=at_panel[:2])
    other = CallFactory(fund=at_panel[0].call.fund, slug="annan-utlysning")
    client.force_login(admin)
    assert client.get(reverse("review:bulk_decision_job", args=[funder.slug, other.slug, job.pk])).status_code == 404
    assert client.get(reverse("review:bulk_decision_job",
                              args=[funder.slug, job.call.slug, 10**18])).status_code == 404


@pytest.mark.parametrize("refused", [1, 40])
def test_the_job_page_costs_the_same_queries_for_one_refusal_as_for_forty(
        client, funder, panel_call, admin, django_assert_num_queries, in_the_background, refused):
    applications = ApplicationFactory.create_batch(refused, call=panel_call, state="submitted")
    job = queued(funder, panel_call, admin, applications=applications)  # none is past screening: each refused
    run(funder, job)
    client.force_login(admin)
    # the funder, the session, the person, their roles here, the call, the job with who confirmed it, the call's
    # periods (its heading), the refusals
    with django_assert_num_queries(8):
        page = page_of(client, job).content.decode()
    assert f"{refused} application" in page and "refused" in page


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_administrators_confirming_at_once_start_one_job(funder, at_panel, monkeypatch):
    if connection.vendor != "postgresql":
        service_unavailable("thread races need PostgreSQL (set DATABASE_URL)")
    monkeypatch.setattr(bulk_jobs, "AT_ONCE", 0)
    call = at_panel[0].call
    first, second = staff(funder, Role.ADMINISTRATOR), staff(funder, Role.STEERING_MEMBER)
    held_at(bulk_jobs, "bulk_decision_jobs_fail_lost", monkeypatch)  # each has found no job under way
    outcomes = together(funder, *(lambda by=by: bulk_decision_job_start(
        call=call, by=by, outcome="granted", application_ids=[at_panel[0].pk]) for by in (first, second)))
    started = [outcome for outcome in outcomes if isinstance(outcome, BulkDecisionJob)]
    refused = [" ".join(outcome.messages) for outcome in outcomes if not isinstance(outcome, BulkDecisionJob)]
    assert len(started) == 1 and refused == ["A bulk decision on this call is under way; wait until it is done."]
    with scope(funder=funder):
        assert BulkDecisionJob.objects.count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_real_worker_records_a_bulk_decision_and_the_page_shows_it(
        celery_worker_process, client, funder, at_panel, admin, monkeypatch):
    monkeypatch.setattr(bulk_jobs, "AT_ONCE", 0)
    client.force_login(admin)
    response = confirm(client, "review:grant_above_line", at_panel[0].call)
    with scope(funder=funder):
        job = BulkDecisionJob.objects.get()
        assert wait_for(lambda: BulkDecisionJob.objects.get(pk=job.pk).is_done, seconds=60)
    page = client.get(response["Location"]).content.decode()
    assert "<strong>Done</strong>" in page and "2 applications granted." in page
    assert decided(funder) == {"Textilsvinn": ("granted", 450_000, ""), "IVA-dagboken": ("granted", 400_000, "")}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_midway_leaves_its_turns_recorded_the_job_failed_and_a_new_job_decides_the_rest_once(
        celery_worker_process, client, funder, panel_call, admin, monkeypatch):
    """SIGKILL the real worker while it grants 400 applications; what it committed stays, the job shows as failed
    once silent, the redelivered task records nothing twice, and a new bulk decision takes the rest."""
    import os
    import signal

    from tests.review.test_ranking import at_the_panel

    applications = at_the_panel(panel_call, 400, 1_000)  # all fit the budget: no line, all to grant
    monkeypatch.setattr(bulk_jobs, "AT_ONCE", 0)
    client.force_login(admin)
    response = confirm(client, "review:grant_above_line", panel_call)
    with scope(funder=funder):
        job = BulkDecisionJob.objects.get()
        assert wait_for(lambda: BulkDecisionJob.objects.get(pk=job.pk).done >= bulk_jobs.TURN, seconds=60)
    os.kill(celery_worker_process.process.pid, signal.SIGKILL)
    celery_worker_process.process.wait(timeout=10)
    with scope(funder=funder):
        job.refresh_from_db()
        assert job.state == "running" and job.done < 400, "the job ended before the kill"
        assert DecisionChange.objects.count() == job.recorded == job.done  # each turn committed with its count

    celery_worker_process.start()  # the task comes back to the new worker, which leaves the job it finds taken alone
    monkeypatch.setattr(BulkDecisionJob, "LOST_AFTER", timedelta(0))  # … and its silence has lasted long enough
    page = client.get(response["Location"]).content.decode()
    assert "<strong>Failed</strong>" in page and f"{job.done} of 400 applications gone through" in page

    confirm(client, "review:grant_above_line", panel_call)  # the rest: those not decided yet
    with scope(funder=funder):
        again = BulkDecisionJob.objects.exclude(pk=job.pk).get()
        assert again.total == 400 - job.done
        assert wait_for(lambda: BulkDecisionJob.objects.get(pk=again.pk).is_done, seconds=90)
        assert BulkDecisionJob.objects.get(pk=job.pk).state == "failed"
        assert DecisionChange.objects.count() == 400
        assert set(DecisionChange.objects.values_list("decision__application", flat=True)) == {
            application.pk for application in applications}
