"""A college's branches' 体检报告 in one background job: a ZIP of one PDF per branch, and each branch's
secretaries told where to read theirs."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.models import Organization, OrgKind
from dangjian.insights.periods import Period, parse
from dangjian.jobs.models import Job
from dangjian.jobs.registry import register
from dangjian.jobs.services import job_progress, job_start
from dangjian.kit.errors import RuleViolation

JOB_KIND = "insights_reports"
# One job sends the reports of one college's branches (a few hundred at most); the school sends per college.
MAX_REPORTS = 1000


def reports_job_start(*, user: Any, org: Organization, period: Period) -> Job:
    if period.start > timezone.localdate():
        raise RuleViolation(_("统计周期尚未开始。"), field="period")
    branches = Organization.objects.filter(path__startswith=org.path, kind=OrgKind.BRANCH, is_active=True)
    if branches[: MAX_REPORTS + 1].count() > MAX_REPORTS:
        raise RuleViolation(
            _("所属党支部超过 %(n)s 个：请逐个院系下发体检报告。") % {"n": MAX_REPORTS}, field="org"
        )
    return job_start(
        kind=JOB_KIND,
        user=user,
        title=_("生成体检报告：%(org)s %(p)s") % {"org": org.short_name or org.name, "p": period.label},
        params={"org_id": org.pk, "period": period.code},
        org_path=org.path,
    )


@register(JOB_KIND)
def run_reports(job: Job) -> None:
    from dangjian.accounts.recipients import secretary_users
    from dangjian.accounts.roles import Permission
    from dangjian.accounts.scope import resolve_scope
    from dangjian.core.selectors import get_org_for
    from dangjian.insights.reports.build import health_report
    from dangjian.insights.reports.pdf import report_filename, reports_pdf
    from dangjian.workbench.services import notify

    scope = resolve_scope(job.created_by)
    org = get_org_for(scope, job.params["org_id"], Permission.VIEW_INSIGHTS)
    period = parse(job.params["period"])
    branches = list(
        Organization.objects.filter(path__startswith=org.path, kind=OrgKind.BRANCH, is_active=True).order_by(
            "path"
        )
    )
    job_progress(job, 0, total=len(branches))
    today = timezone.localdate()
    cache: dict[str, Any] = {}
    told = 0
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, branch in enumerate(branches, start=1):
            built = health_report(branch, period, today, medians_cache=cache)
            archive.writestr(report_filename(built), reports_pdf([built]))
            link = reverse("insights:report", args=[branch.pk]) + f"?period={period.code}"
            told += notify(
                secretary_users(branch),
                "insights.report",
                _("%(p)s体检报告已下发") % {"p": period.label},
                _("%(org)s下发了本支部的体检报告，请查看并对照问题整改。")
                % {"org": org.short_name or org.name},
                link,
            )
            if index % 20 == 0 or index == len(branches):
                job_progress(job, index)
    job.result = {
        "summary": [[_("体检报告"), len(branches)], [_("通知书记"), told]],
        "message": _("已生成各支部体检报告（ZIP 中每个支部一个 PDF），并通知了各支部书记。"),
    }
    job.result_file.save(f"health-reports-{job.pk}.zip", ContentFile(buffer.getvalue()), save=False)
    job.save(update_fields=["result", "result_file"])
