"""体检报告 as A4 PDF: one renderer for one report or a batch (one report per page group)."""

from __future__ import annotations

from collections.abc import Sequence

from dangjian.insights.reports.build import HealthReport
from dangjian.kit import pdf


def reports_pdf(reports: Sequence[HealthReport]) -> bytes:
    return pdf.render_pdf("insights/report_pdf.html", {"reports": list(reports)})


def report_filename(report: HealthReport) -> str:
    return f"体检报告-{report.org.short_name or report.org.name}-{report.period.code}.pdf"
