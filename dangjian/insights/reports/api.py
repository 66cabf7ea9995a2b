"""体检报告 API: an organization's report for a period as an A4 PDF, in the caller's scope."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.core.selectors import get_org_for
from dangjian.insights.indices.selectors import latest_period
from dangjian.insights.models import PeriodKind
from dangjian.insights.periods import parse
from dangjian.insights.reports.build import health_report
from dangjian.insights.reports.pdf import report_filename, reports_pdf
from dangjian.kit import pdf
from dangjian.kit.access_rules import access_rule, within
from dangjian.kit.errors import DomainError

router = Router(tags=["insights"])


@access_rule(within(Permission.VIEW_INSIGHTS))
@router.get("/{org_id}/health.pdf", url_name="health_pdf")
def health_pdf(request: HttpRequest, org_id: int, period: str = "") -> HttpResponse:
    """The 体检报告 of the organization for ``period`` ("2026", "2026Q4", "2026-11"; default the newest
    computed quarter) as an A4 PDF. Outside the caller's scope: 404; a period that cannot be read: 400."""
    org = get_org_for(scope_of(request), org_id, Permission.VIEW_INSIGHTS)
    try:
        chosen = parse(period) if period else latest_period(PeriodKind.QUARTER, timezone.localdate())
    except DomainError as exc:
        raise HttpError(400, str(exc)) from exc
    built = health_report(org, chosen, timezone.localdate())
    return pdf.pdf_response(reports_pdf([built]), report_filename(built))
