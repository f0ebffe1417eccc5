"""Exports in the background: a table of any size written to a file by a Celery worker while its page shows how far
it has come, then downloaded by the person who asked — and by nobody else — until it expires.

The core knows no app. Each app registers its kinds of export in its ``export_kinds`` module (found when the apps
are ready, like ``dashboard``) with :func:`register_export_kind`: the kind's ``table(*, query, subject, extension)``
builds the :class:`fundportal.exports.Table` to write, in the funder's scope, from the page's query string (a
``QueryDict``) and what the export is of (``subject``, e.g. a call's slug); its rows come from the database in
chunks (``.iterator(chunk_size=…)`` or pages), so memory stays flat whatever the number of rows. The kind's
``permission`` (a rules permission on the funder) is who may start it — and who may still download it: someone whose
role was taken away gets no file.

A job is queued by :func:`export_job_start` once its row is committed (``FunderTask.enqueue``), written by
:func:`export_job_run` (the task ``run_export_job``; a job that is no longer queued is left alone, so a redelivered
task writes nothing twice), and removed with its file once it expires (the beat task ``remove_expired_exports``,
which also ends jobs a dead worker left under way). With ``CELERY_TASK_ALWAYS_EAGER`` (the demo, the tests) the job
is written before its page first shows.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fundportal.audit import Kind as AuditKind
from fundportal.audit import audit_record
from fundportal.db_router import reading_from_replica
from fundportal.exports import CONTENT_TYPES, write_table
from fundportal.models import ExportJob
from fundportal.tasks import FunderTask

logger = logging.getLogger(__name__)

KEPT = timedelta(days=2)  # how long a written file may be downloaded
LOST_AFTER = timedelta(hours=2)  # a job still under way this long after it was asked for was lost with its worker
UNDER_WAY_AT_ONCE = 3  # jobs one person may have waiting or being written at a time
QUERY_LIMIT = 2000  # characters of the filters kept with a job


@dataclass(frozen=True)
class ExportKind:
    name: str  # "<app>.<what>", e.g. "review.ranking"
    title: object  # callable(subject) -> what the job is called on its page, e.g. "Ranking: big-call"
    permission: str  # who may start it and download its file, checked on the funder
    table: object  # callable(*, query, subject, extension) -> fundportal.exports.Table
    extensions: tuple = tuple(CONTENT_TYPES)


KINDS = {}


def register_export_kind(kind):
    """Jobs of ``kind`` may be started (called by the app that owns the kind, in its ``export_kinds`` module)."""
    KINDS[kind.name] = kind
    return kind


def export_jobs_of(user):
    """The person's exports at the active funder, newest first."""
    return ExportJob.objects.filter(user=user)


def export_job_start(*, user, funder, kind, extension, query, subject=""):
    """Ask for an export of ``kind`` as ``extension`` with the filters ``query`` (a query string) of ``subject``;
    it is written in the background. Refused when the person already has ``UNDER_WAY_AT_ONCE`` under way."""
    if kind not in KINDS or extension not in KINDS[kind].extensions:
        raise ValidationError(_("This export does not exist."))
    if len(query) > QUERY_LIMIT:
        raise ValidationError(_("The filters are too long to export; choose fewer."))
    if export_jobs_of(user).filter(state__in=ExportJob.UNDER_WAY).count() >= UNDER_WAY_AT_ONCE:
        raise ValidationError(_("You have %(count)d exports under way; wait until one is ready.")
                              % {"count": UNDER_WAY_AT_ONCE})
    job = ExportJob.objects.create(funder=funder, user=user, kind=kind, extension=extension, query=query,
                                   subject=subject, title=str(KINDS[kind].title(subject)),
                                   language=translation.get_language() or settings.LANGUAGE_CODE,
                                   expires=timezone.now() + KEPT)
    audit_record(kind=AuditKind.EXPORTED, actor=user, obj=job, details=_audited(job.kind, job.title, extension, query))
    run_export_job.enqueue(funder, job_id=job.pk)
    return job


def _audited(kind, title, extension, query, rows=None):
    """What the audit trail keeps of an export: what it was, its format and filters, and how many rows it had when
    written at once (None: written in the background)."""
    return {"kind": kind, "title": title, "extension": extension, "query": query, "rows": rows}


def export_downloaded(*, user, kind, extension, query, subject, table) -> None:
    """A table of ``kind`` downloaded at once (without a job): recorded in the audit trail."""
    title = str(kind.title(subject))
    audit_record(kind=AuditKind.EXPORTED, actor=user, label=title,
                 details=_audited(kind.name, title, extension, query, rows=table.total))


def export_job_downloaded(*, user, job) -> None:
    """The file of ``job`` downloaded: recorded in the audit trail."""
    audit_record(kind=AuditKind.EXPORT_DOWNLOADED, actor=user, obj=job,
                 details=_audited(job.kind, job.title, job.extension, job.query))


def export_job_run(*, job):
    """Write ``job``'s table to its file, reporting progress on the job as the rows go; a job that is not queued
    (already written, or being written by another worker) is left alone. A failure is stored on the job."""
    started = ExportJob.objects.filter(pk=job.pk, state=ExportJob.State.QUEUED).update(state=ExportJob.State.RUNNING)
    if not started:
        return job.state
    try:
        with translation.override(job.language), reading_from_replica():  # the rows; progress goes to the primary
            table = KINDS[job.kind].table(query=QueryDict(job.query), subject=job.subject, extension=job.extension)
            ExportJob.objects.filter(pk=job.pk).update(rows_total=table.total)
            written = write_table(table, job.extension,
                                  lambda done: ExportJob.objects.filter(pk=job.pk).update(rows_done=done))
    except Exception:  # noqa: BLE001 — whatever broke, the person who asked learns that the export failed
        logger.exception("Export job %s (%s) failed", job.pk, job.kind)
        ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.FAILED, finished=timezone.now(),
                                                  error=_("The export could not be written. Try again, or ask the "
                                                          "portal's operator if it fails again."))
        return ExportJob.State.FAILED
    with written:
        job.refresh_from_db()
        job.filename = table.filename
        job.file.save(table.filename, File(written), save=False)
    job.state, job.finished = ExportJob.State.DONE, timezone.now()
    job.save(update_fields=["filename", "file", "state", "finished"])
    return job.state


def export_jobs_remove_expired(*, now):
    """Remove the expired exports with their files, and fail the jobs a dead worker left under way.
    Returns (removed, failed)."""
    failed = ExportJob.objects.filter(state__in=ExportJob.UNDER_WAY, created__lt=now - LOST_AFTER).update(
        state=ExportJob.State.FAILED, finished=now, error=_("The export was interrupted. Start it again."))
    expired = list(ExportJob.objects.filter(expires__lt=now))
    for job in expired:
        if job.file:
            job.file.delete(save=False)
    with transaction.atomic():
        ExportJob.objects.filter(pk__in=[job.pk for job in expired]).delete()
    return len(expired), failed


@shared_task(base=FunderTask, acks_late=True)
def run_export_job(funder, job_id):
    """Write one export job (queue "exports")."""
    job = ExportJob.objects.filter(pk=job_id).first()
    return export_job_run(job=job) if job else "missing"


@shared_task
def remove_expired_exports():
    """Celery beat: every funder's expired exports go, with their files."""
    return funder_remove_expired_exports.for_every_funder()


@shared_task(base=FunderTask)
def funder_remove_expired_exports(funder):
    removed, failed = export_jobs_remove_expired(now=timezone.now())
    return {"removed": removed, "failed": failed}
