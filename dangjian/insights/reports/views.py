"""体检报告 pages: the report of a branch or a college for a period, as a page and as an A4 PDF, and a
college sending its branches' reports in one job."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.core.models import OrgKind
from dangjian.core.selectors import get_org_for
from dangjian.insights.indices.selectors import periods_computed
from dangjian.insights.indices.views import _period
from dangjian.insights.models import PeriodKind
from dangjian.insights.periods import parse
from dangjian.insights.reports import jobs
from dangjian.insights.reports.build import health_report
from dangjian.insights.reports.pdf import report_filename, reports_pdf
from dangjian.kit import pdf
from dangjian.kit.access_rules import access_rule, within
from dangjian.kit.errors import DomainError

P = Permission


@access_rule(within(Permission.VIEW_INSIGHTS))
@login_required
def report(request: HttpRequest, org_id: int) -> HttpResponse:
    scope = scope_of(request)
    org = get_org_for(scope, org_id, P.VIEW_INSIGHTS)
    period = _period(request)
    built = health_report(org, period, timezone.localdate())
    return render(
        request,
        "insights/report.html",
        {
            "report": built,
            "period": period,
            "periods": periods_computed(period.kind),
            "kinds": PeriodKind.choices,
            "may_send": org.kind != OrgKind.BRANCH and scope.covers(P.VIEW_INSIGHTS, org.path),
        },
    )


@access_rule(within(Permission.VIEW_INSIGHTS))
@login_required
def report_pdf(request: HttpRequest, org_id: int) -> HttpResponse:
    org = get_org_for(scope_of(request), org_id, P.VIEW_INSIGHTS)
    built = health_report(org, _period(request), timezone.localdate())
    return pdf.pdf_response(reports_pdf([built]), report_filename(built))


@access_rule(within(Permission.VIEW_INSIGHTS))
@require_POST
@login_required
def reports_send(request: HttpRequest, org_id: int) -> HttpResponse:
    """A college (or the school) makes the reports of every branch below it and sends each branch its
    own: a background job with a ZIP of the PDFs, and a notification to each branch's secretaries."""
    org = get_org_for(scope_of(request), org_id, P.VIEW_INSIGHTS)
    if org.kind == OrgKind.BRANCH:
        raise Http404
    try:
        job = jobs.reports_job_start(user=request.user, org=org, period=parse(request.POST.get("period", "")))
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("insights:report", org_id=org.pk)
    messages.success(request, _("已开始生成各支部的体检报告。"))
    return redirect("jobs:detail", job_id=job.pk)
