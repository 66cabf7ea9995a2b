from __future__ import annotations

from celery import shared_task


@shared_task(name="dangjian.jobs.tasks.run_job", acks_late=True)
def run_job(job_id: int) -> str:
    from dangjian.jobs.services import job_run

    try:
        return str(job_run(job_id).status)
    except Exception:
        return "failed"


@shared_task(name="dangjian.jobs.tasks.requeue_stale_jobs")
def requeue_stale_jobs() -> int:
    """Send again the jobs left pending while the broker was down (beat, every few minutes)."""
    from dangjian.jobs.services import job_requeue_stale

    return job_requeue_stale()
