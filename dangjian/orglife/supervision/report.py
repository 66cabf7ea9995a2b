"""The 督查 feedback report of an org for a period as a PDF (A4, WeasyPrint with the system CJK font) and
as an Excel workbook (a sheet of scores per org, a sheet of problems)."""

from __future__ import annotations

import tempfile
from typing import Any

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from dangjian.kit import pdf
from dangjian.kit.xlsx import text_row
from dangjian.orglife.supervision.selectors import Report


def _name(report: Report) -> str:
    return f"supervision-{report.org.code}-{report.period_from:%Y%m%d}-{report.period_to:%Y%m%d}"


def render_pdf(report: Report) -> bytes:
    return pdf.render_pdf(
        "orglife/supervision/report_pdf.html", {"report": report, "printed": timezone.localdate()}
    )


def pdf_response(report: Report) -> HttpResponse:
    return pdf.pdf_response(render_pdf(report), f"{_name(report)}.pdf", inline=False)


def _num(value: Any) -> Any:
    return float(value) if value is not None else None


def workbook(report: Report) -> Workbook:
    book = Workbook()
    scores = book.active
    scores.title = _("评分汇总")
    scores.append([report.org.name, f"{report.period_from:%Y-%m-%d} — {report.period_to:%Y-%m-%d}"])
    scores.append(
        [
            _("党组织"),
            _("抽查会议"),
            _("已反馈"),
            *[_("%(item)s平均分") % {"item": _(name)} for _code, name, _max in report.items],
            _("平均总分"),
            _("发现问题"),
            _("待整改"),
            _("逾期未整改"),
        ]
    )
    for row in [*report.rows, report.total]:
        scores.append(
            [
                row.name or _("合计"),
                row.drawn,
                row.filed,
                *[_num(v) for v in row.item_averages],
                _num(row.total_average),
                row.problems,
                row.open_problems,
                row.overdue,
            ]
        )
    sheet = book.create_sheet(_("问题清单"))
    sheet.append(
        [_("党支部"), _("会议日期"), _("会议主题"), _("发现问题"), _("状态"), _("整改时限"), _("整改措施")]
    )
    for p in report.problems:
        meeting = p.feedback.assignment.meeting
        sheet.append(
            text_row(
                sheet,
                [
                    meeting.organization.display_name,
                    meeting.date,
                    meeting.topic,
                    p.description,
                    str(p.get_status_display()),
                    p.rectify_by,
                    p.rectification,
                ],
            )
        )
    return book


def xlsx_response(report: Report) -> FileResponse:
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115  (FileResponse closes it)
    workbook(report).save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{_name(report)}.xlsx",
        content_type=pdf.XLSX,
    )
