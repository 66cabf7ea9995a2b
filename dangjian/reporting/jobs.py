"""The recomputation of a snapshot as a background job (a province's tree takes about a minute)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.jobs.models import Job
from dangjian.jobs.registry import register
from dangjian.jobs.services import job_start
from dangjian.kit.errors import RuleViolation

JOB_KIND = "statistics_snapshot"


def snapshot_job_start(*, user: Any, on: date) -> Job:
    if on > timezone.localdate():
        raise RuleViolation(_("统计时点不能晚于今天"), code="date_in_future", field="on")
    return job_start(
        kind=JOB_KIND,
        user=user,
        title=_("计算党内统计：%(on)s") % {"on": on.isoformat()},
        params={"on": on.isoformat()},
    )


@register(JOB_KIND)
def run_snapshot(job: Job) -> None:
    from dangjian.accounts.scope import resolve_scope
    from dangjian.reporting.services import snapshot_compute

    snapshot = snapshot_compute(
        on=date.fromisoformat(job.params["on"]), actor=job.created_by, scope=resolve_scope(job.created_by)
    )
    Job.objects.filter(pk=job.pk).update(
        result={
            "on": snapshot.on.isoformat(),
            "people": snapshot.people,
            "organizations": snapshot.organizations,
        }
    )
