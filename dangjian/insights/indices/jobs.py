"""Computing a period's indices as a background job (the whole tree: up to two minutes at province size)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.insights.periods import Period, parse
from dangjian.jobs.models import Job
from dangjian.jobs.registry import register
from dangjian.jobs.services import job_start
from dangjian.kit.errors import RuleViolation

JOB_KIND = "insights_compute"


def compute_job_start(*, user: Any, period: Period) -> Job:
    if period.start > timezone.localdate():
        raise RuleViolation(_("统计周期尚未开始。"), field="period")
    return job_start(
        kind=JOB_KIND,
        user=user,
        title=_("计算评价指数：%(p)s") % {"p": period.label},
        params={"period": period.code},
    )


@register(JOB_KIND)
def run_compute(job: Job) -> None:
    from dangjian.accounts.scope import resolve_scope
    from dangjian.insights.indices.services import indices_compute

    result = indices_compute(
        actor=job.created_by, scope=resolve_scope(job.created_by), period=parse(job.params["period"])
    )
    Job.objects.filter(pk=job.pk).update(
        result={"period": result.period.code, "values": result.values, "scores": result.scores}
    )
