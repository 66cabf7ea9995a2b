"""Starting, running, reporting progress on and cancelling jobs.

Handlers work in batches with idempotent steps (upserts by natural key), so a job that died half way is
simply run again: what was done is found done, and nothing is added twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dangjian.jobs.models import Job, JobStatus
from dangjian.jobs.registry import handler_for

logger = logging.getLogger(__name__)


class JobCancelled(Exception):
    pass


def job_start(
    *,
    kind: str,
    user: Any,
    title: str,
    params: dict[str, Any] | None = None,
    org_path: str = "",
    input_file: File | None = None,
) -> Job:
    """Create the job and run it in the background once the transaction commits (eagerly without a broker)."""
    handler_for(kind)  # unknown kinds fail here, not in the worker
    params = {"language": translation.get_language() or settings.LANGUAGE_CODE, **(params or {})}
    job = Job(
        kind=kind,
        title=title[:200],
        created_by=user,
        params=params,
        org_path=org_path,
        queued_at=timezone.now(),
    )
    if input_file is not None:
        job.input_file.save(
            getattr(input_file, "name", "upload.xlsx") or "upload.xlsx", input_file, save=False
        )
    job.save()
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def job_commit_start(*, dry_run: Job, user: Any, title: str, params: dict[str, Any] | None = None) -> Job:
    """The commit of a finished dry run, on a copy of its file — started once: a replay (a double-click,
    a second tab, a retried request) gets the first commit job back, before anything else is checked."""
    with transaction.atomic():
        list(Job.objects.select_for_update().filter(pk=dry_run.pk))  # replays queue here, one by one
        first = Job.objects.filter(kind=dry_run.kind, params__dry_run_job=dry_run.pk).order_by("id").first()
        if first is not None:
            return first
        with dry_run.input_file.open("rb") as fileobj:
            copy = ContentFile(fileobj.read(), name=dry_run.input_file.name.rsplit("/", 1)[-1])
        return job_start(
            kind=dry_run.kind,
            user=user,
            title=title,
            params={**(params or {}), "mode": "commit", "dry_run_job": dry_run.pk},
            input_file=copy,
            org_path=dry_run.org_path,
        )


def _enqueue(job_id: int) -> bool:
    """Send the job to the workers. The broker being down is not the user's error: the job stays pending
    in the database (the page shows 排队中) and ``job_requeue_stale`` sends it again once the broker is
    back — so this runs after the commit and never turns the request into a 500."""
    from kombu.exceptions import OperationalError as BrokerError

    from dangjian.jobs.tasks import run_job

    try:
        run_job.delay(job_id)
    except (BrokerError, ConnectionError, OSError) as exc:
        logger.warning("job %s left pending: the broker is unreachable (%s)", job_id, exc)
        return False
    return True


def job_requeue_stale(*, older_than: timedelta | None = None) -> int:
    """Send again the jobs pending for longer than ``older_than`` (JOB_REQUEUE_AFTER_MINUTES): those whose
    enqueue failed while the broker was down. A job that was in the queue after all runs once: a second
    delivery of a finished job does nothing (``job_run``), and the handlers' steps are idempotent.
    Answers how many were sent (a broker still down sends none and leaves them pending)."""
    minutes = int(getattr(settings, "JOB_REQUEUE_AFTER_MINUTES", 10))
    cutoff = timezone.now() - (older_than if older_than is not None else timedelta(minutes=minutes))
    stale = Job.objects.filter(status=JobStatus.PENDING, cancel_requested=False).filter(
        Q(queued_at__lt=cutoff) | Q(queued_at__isnull=True, created_at__lt=cutoff)
    )
    sent = 0
    for job_id in stale.order_by("id").values_list("pk", flat=True)[:1000]:
        if not _enqueue(job_id):
            break  # the broker is still down: the next sweep tries again
        Job.objects.filter(pk=job_id).update(queued_at=timezone.now())
        sent += 1
    if sent:
        logger.info("requeued %s pending jobs", sent)
    return sent


def job_run(job_id: int) -> Job:
    """Run (or re-run) a job. Safe to call twice: a finished job is left as it is."""
    job = Job.objects.get(pk=job_id)
    if job.is_finished:
        return job
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1, error_message=""
    )
    job.refresh_from_db()
    try:
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            handler_for(job.kind)(job)
    except JobCancelled:
        _finish(job, JobStatus.CANCELLED)
    except DatabaseError as exc:  # the database's own text is for the log, not for the person
        logger.exception("job %s failed in the database", job.pk)
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            message = _("数据库未能完成该任务，请稍后重试；仍不成功请联系管理员。")
        _finish(job, JobStatus.FAILED, error=message)
        raise exc
    except Exception as exc:  # the job records the failure; the worker keeps going
        _finish(job, JobStatus.FAILED, error=str(exc)[:2000] or exc.__class__.__name__)
        raise
    else:
        _finish(job, JobStatus.SUCCEEDED)
    job.refresh_from_db()
    return job


def _finish(job: Job, status: str, *, error: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now(), error_message=error)


def job_progress(job: Job, done: int, total: int | None = None) -> None:
    """Report progress; raises JobCancelled when the user asked to stop (checked between batches)."""
    fields: dict[str, Any] = {"progress": done}
    if total is not None:
        fields["total"] = total
        job.total = total
    Job.objects.filter(pk=job.pk).update(**fields)
    job.progress = done
    if Job.objects.filter(pk=job.pk, cancel_requested=True).exists():
        raise JobCancelled


def job_check_cancelled(job: Job) -> None:
    """Raise JobCancelled when the user asked to stop, without writing: safe inside a long transaction
    (an all-or-nothing import), where updating the job row would hold its lock and make the cancel wait."""
    if Job.objects.filter(pk=job.pk, cancel_requested=True).exists():
        raise JobCancelled


def job_cancel(*, job: Job, user: Any) -> Job:
    if not job.is_finished:
        Job.objects.filter(pk=job.pk).update(cancel_requested=True)
        if job.status == JobStatus.PENDING:
            _finish(job, JobStatus.CANCELLED)
    job.refresh_from_db()
    return job


def job_retry(*, job: Job, user: Any) -> Job:
    """Run a failed or cancelled job again (its handler's steps are idempotent)."""
    if job.status in (JobStatus.FAILED, JobStatus.CANCELLED):
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.PENDING, cancel_requested=False, finished_at=None, queued_at=timezone.now()
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    job.refresh_from_db()
    return job
