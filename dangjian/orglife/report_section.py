"""组织生活 in the 体检报告 (hooks.report_sections): the compliance matrix of the period's year — each
branch's twelve months judged as on the 组织生活 统计 page (``compliance.stats.compliance_matrix``: the
forms 支部条例 requires at their frequencies). A college's report lists the branches with the most
months short first, at most ``MAX_ROWS`` of them, with the totals of all."""

from __future__ import annotations

from datetime import date
from typing import Any

from dangjian.core.models import Organization
from dangjian.orglife.compliance.stats import GREEN, GREY, RED, YELLOW, compliance_matrix, matrix_branches

MAX_ROWS = 30
MAX_BRANCHES = 3000  # a school's report judges at most this many branches (a few grouped queries)


def compliance_section(org: Organization, start: date, end: date, today: date) -> dict[str, Any] | None:
    branches = list(matrix_branches(org)[:MAX_BRANCHES])
    if not branches:
        return None
    rows = compliance_matrix(branches, start.year, min(today, end))
    months = [m for m in range(1, 13) if start.month <= m <= end.month or start.year < end.year]
    shown = []
    for r in rows:
        cells = [r.cells[m - 1] for m in months]
        states = [c.state for c in cells]
        shown.append((r.branch, cells, states.count(RED), states.count(YELLOW)))
    shown.sort(key=lambda x: (-x[2], -x[3], x[0].path))
    totals = {
        state: sum(1 for _b, cells, _r, _y in shown for c in cells if c.state == state)
        for state in (GREEN, YELLOW, RED)
    }
    return {
        "year": start.year,
        "months": months,
        "rows": [(branch, cells, red) for branch, cells, red, _y in shown[:MAX_ROWS]],
        "branches": len(rows),
        "shown": min(len(rows), MAX_ROWS),
        "short_branches": sum(1 for _b, _c, red, _y in shown if red),
        "totals": totals,
        "states": {"green": GREEN, "yellow": YELLOW, "red": RED, "grey": GREY},
    }
