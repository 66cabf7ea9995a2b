from __future__ import annotations

from celery import shared_task


@shared_task(name="dangjian.jobs.tasks.run_job", acks_late=True)
def run_job(job_id: int) -> str:
    from dangjian.jobs.services import job_run

    try:
        return str(job_run(job_id).status)
    except Exception:
        return "failed"
