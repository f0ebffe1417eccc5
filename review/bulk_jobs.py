"""Bulk decisions in the background: the applications an administrator confirmed on one side of a call's funding
line, granted or declined by a Celery worker in turns while the job's page shows how far it has come — like the
exports (``fundportal.export_jobs``).

A few applications (``AT_ONCE`` or fewer) are decided in the request (:func:`bulk_decisions_record_at_once`). For
more, a job is stored by :func:`bulk_decision_job_start` with the list confirmed, queued once its row is committed
(``FunderTask.enqueue``) and recorded by :func:`bulk_decision_job_run` (the task ``run_bulk_decision_job``; a job
that is no longer queued is left alone, so a redelivered task records nothing twice). Each turn of ``TURN``
applications is ``decisions_record_each``'s, in its own transaction with the call locked: an application decided
meanwhile is refused, every decision is ``decision_record``'s (its state, its budget, its conflict of interest, its
history), and the person who started it must still be allowed to decide. The funding line is found once, when the
worker takes the job (what changed since the confirmation counts; the job's own declines, which free the budget they
held on the ranking, do not move it under its feet). One job at a
time per call (a constraint of the table); a job whose worker died shows as interrupted once it has given no sign of
life for ``BulkDecisionJob.LOST_AFTER``, and is failed then by the next job asked for on its call. With ``CELERY_TASK_ALWAYS_EAGER`` (the demo, the tests) a queued job is recorded before
its page first shows.
"""

import logging
from dataclasses import fields

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from calls.models import Call, Period
from fundportal.models import User
from fundportal.tasks import FunderTask
from review.decisions import (
    BulkDecisions, bulk_decision_check, by_the_line_of_those_asked, case_numbers_in, decisions_record_each,
    decisions_record_in_bulk,
)
from review.models import BulkDecisionJob, BulkDecisionRefusal
from review.selectors import RankingFilter

logger = logging.getLogger(__name__)

AT_ONCE = 200  # applications recorded in the request that confirms them (each takes a few queries); more: a worker
TURN = 50  # applications recorded in one transaction: the call stays locked that long (a few seconds at most)
ANOTHER_UNDER_WAY = gettext_lazy("A bulk decision on this call is under way; wait until it is done.")


def bulk_decision_jobs_of(call: Call):
    """The bulk decisions taken on ``call``, newest first."""
    return BulkDecisionJob.objects.filter(call=call)


def bulk_decision_job_under_way(call: Call) -> BulkDecisionJob | None:
    """The bulk decision on ``call`` still being recorded (none when it was lost with its worker)."""
    job = bulk_decision_jobs_of(call).filter(state__in=BulkDecisionJob.UNDER_WAY).first()
    return job if job is not None and job.under_way else None


def in_the_background(count: int) -> bool:
    """Whether a bulk decision on ``count`` applications is recorded by a worker rather than in the request."""
    return count > AT_ONCE


def bulk_decisions_record_at_once(*, call: Call, by: User, outcome: str, application_ids: list[int], reason: str = "",
                                  filter: RankingFilter = RankingFilter()) -> BulkDecisions:
    """A few applications (``AT_ONCE`` or fewer) decided in the request, as ``decisions_record_in_bulk`` does in one
    transaction; refused while a bulk decision on the call is under way in the background."""
    if bulk_decision_job_under_way(call):
        raise ValidationError(ANOTHER_UNDER_WAY)
    return decisions_record_in_bulk(call=call, by=by, outcome=outcome, reason=reason, filter=filter,
                                    application_ids=application_ids)


def bulk_decision_job_start(*, call: Call, by: User, outcome: str, application_ids: list[int], reason: str = "",
                            filter: RankingFilter = RankingFilter(), query: str = "") -> BulkDecisionJob:
    """Grant the applications ``application_ids`` of ``call`` above its funding line (``filter`` keeps, the ranking's
    ``query`` string to go back to), or decline those below it with ``reason``, by a worker. Refused while another
    bulk decision on the call is under way."""
    bulk_decision_check(outcome=outcome, reason=reason)
    if not application_ids:
        raise ValidationError(_("There is no application to decide."))
    bulk_decision_jobs_fail_lost(call=call, now=timezone.now())
    ids = list(dict.fromkeys(application_ids))
    try:
        with transaction.atomic():
            job = BulkDecisionJob.objects.create(
                funder=call.funder, call=call, by=by, outcome=outcome, reason=reason.strip(), query=query,
                filter=_filter_stored(filter), applications=ids, total=len(ids),
                language=translation.get_language() or settings.LANGUAGE_CODE)
    except IntegrityError:  # the table's constraint: another job on this call is under way
        raise ValidationError(ANOTHER_UNDER_WAY) from None
    run_bulk_decision_job.enqueue(call.funder, job_id=job.pk)
    return job


def bulk_decision_job_run(*, job: BulkDecisionJob) -> str:
    """Record ``job``'s decisions turn by turn, its progress counted after each; a job that is not queued (done, or
    being recorded by another worker) is left alone. A failure is stored on the job; what was recorded before stays."""
    started = BulkDecisionJob.objects.filter(pk=job.pk, state=BulkDecisionJob.State.QUEUED).update(
        state=BulkDecisionJob.State.RUNNING, updated=timezone.now())
    if not started:
        job.refresh_from_db(fields=["state"])
        return job.state
    try:
        with translation.override(job.language):  # the refusals' reasons, as the person who confirmed reads them
            beside = _by_the_line(job)
            for start in range(0, len(beside), TURN):
                _record_turn(job, beside[start:start + TURN])
    except Exception:  # noqa: BLE001 — whatever broke, the administrator learns that the bulk decision stopped
        logger.exception("Bulk decision job %s failed", job.pk)
        _end(job, BulkDecisionJob.State.FAILED)
        return BulkDecisionJob.State.FAILED
    _end(job, BulkDecisionJob.State.DONE)
    return BulkDecisionJob.State.DONE


@transaction.atomic
def _by_the_line(job):
    """The ids of the job's applications on its side of the funding line as the job finds it (the call locked), the
    others refused; the line is not found again later, so the job's own declines do not move it under its feet."""
    call = Call.objects.select_for_update().get(pk=job.call_id)
    beside, refused = by_the_line_of_those_asked(call=call, outcome=job.outcome, filter=_filter_read(job.filter, call),
                                                 application_ids=job.applications)
    _count(job, gone_through=len(refused), recorded=0, refused=refused)
    return [application.pk for application in beside]


@transaction.atomic
def _record_turn(job, ids):
    """One turn: ``decisions_record_each`` for ``ids`` (the call locked while it lasts), on behalf of the person who
    started the job as long as they may still decide; counted on the job with its refusals."""
    by = User.objects.get(pk=job.by_id)  # loaded again each turn: a role taken away meanwhile counts
    call = Call.objects.get(pk=job.call_id)
    if by.has_perm("review.decide", job.funder):
        done = decisions_record_each(call=call, by=by, outcome=job.outcome, reason=job.reason, application_ids=ids)
        recorded, refused = len(done.recorded), done.refused
    else:
        why = _("%(person)s may no longer decide applications.") % {"person": by}
        recorded, refused = 0, [(case_number, why) for case_number in _case_numbers(call, ids)]
    _count(job, gone_through=len(ids), recorded=recorded, refused=refused)


def _count(job, *, gone_through, recorded, refused):
    """Add to the job's counts, store its refusals [(case number, why)], and show a sign of life."""
    BulkDecisionRefusal.objects.bulk_create(BulkDecisionRefusal(funder_id=job.funder_id, job=job,
                                                                case_number=case_number, why=why)
                                            for case_number, why in refused)
    BulkDecisionJob.objects.filter(pk=job.pk).update(
        done=F("done") + gone_through, recorded=F("recorded") + recorded, refused=F("refused") + len(refused),
        updated=timezone.now())


def _case_numbers(call, ids):
    """The case numbers of ``ids`` (``#<id>`` for one that is not an application of ``call``), in their order."""
    known = case_numbers_in(call, ids)
    return [known.get(pk) or f"#{pk}" for pk in ids]


def _end(job, state):
    BulkDecisionJob.objects.filter(pk=job.pk).update(state=state, finished=timezone.now(), updated=timezone.now())


def _filter_stored(filter):
    """The ranking's filter as the job keeps it (its period by id)."""
    stored = {name.name: getattr(filter, name.name) for name in fields(filter)}
    return {**stored, "period": filter.period.pk if filter.period is not None else None}


def _filter_read(stored, call):
    """The filter the job keeps, as the ranking reads it (a period no longer there: the job stops)."""
    period = Period.objects.get(call=call, pk=stored["period"]) if stored.get("period") is not None else None
    return RankingFilter(**{**stored, "period": period})


def bulk_decision_jobs_fail_lost(*, call: Call, now) -> int:
    """Fail the jobs on ``call`` a dead worker left under way. Returns how many."""
    return bulk_decision_jobs_of(call).filter(
        state__in=BulkDecisionJob.UNDER_WAY, updated__lt=now - BulkDecisionJob.LOST_AFTER).update(
        state=BulkDecisionJob.State.FAILED, finished=now)


@shared_task(base=FunderTask, acks_late=True)
def run_bulk_decision_job(funder, job_id):
    """Record one bulk decision (the default queue, "celery")."""
    job = BulkDecisionJob.objects.filter(pk=job_id).first()
    return bulk_decision_job_run(job=job) if job else "missing"
