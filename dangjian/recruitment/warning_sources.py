"""What 发展党员 contributes to the 预警 centre (issue 16): ``recruitment.overdue``, one finding per open
case whose next step is past its deadline — the same cases as the 超期 list (``selectors.overdue_condition``:
谈话 within 1 month of the application, the half-yearly 考察, the branch meeting after 预审, the approval,
the oath; a case waiting on a returned record is not overdue). A warning to the case's branch, keyed by
the case and the step (``case:<id>:<step>``) so that the next overdue step is a new case.

Three queries whatever the number of cases: the step definitions, the definitions again for the
condition, and the cases with their step dates (grouped by case), iterated.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.hooks import Finding
from dangjian.recruitment.models import Case, CaseStatus, StepDefinition
from dangjian.recruitment.selectors import (
    OVERDUE_STEP_CODES,
    overdue_condition,
    overdue_rules,
    with_step_dates,
)

CODE = "recruitment.overdue"


def _rule(code: str, months: int) -> str:
    text = {
        "talk": _("发展党员工作细则：党组织收到入党申请书后，应当在 %(m)s 个月内派人同入党申请人谈话"),
        "evaluation": _("发展党员工作细则：党支部每 %(m)s 个月对入党积极分子进行一次考察"),
        "branch_meeting": _("发展党员工作细则：上级党委预审后 %(m)s 个月内召开支部党员大会讨论接收预备党员"),
        "approval": _("发展党员工作细则：上级党委应当在支部党员大会决议后 %(m)s 个月内审批"),
        "oath": _("发展党员工作细则：预备党员经批准后 %(m)s 个月内进行入党宣誓"),
    }[code]
    return text % {"m": months}


def _overdue(today: date, waiting: list[int]) -> QuerySet[Case, dict[str, Any]]:
    lean = Case.objects.filter(status=CaseStatus.OPEN, last_step__in=waiting)
    return (
        with_step_dates(
            lean.values("pk", "person_id", "person__name", "branch_id", "last_step", "applied_on")
        )
        .filter(overdue_condition(today))
        .order_by("pk")
    )


def overdue_findings(today: date) -> Iterator[Finding]:
    steps = {s["code"]: s for s in StepDefinition.objects.filter(code__in=OVERDUE_STEP_CODES).values()}
    by_waiting = {steps[code]["number"] - 1: rule for rule in overdue_rules() if (code := rule[0]) in steps}
    for row in _overdue(today, list(by_waiting)).iterator(chunk_size=2000):
        code, field, due_of, months = by_waiting[row["last_step"]]
        start = row[field]
        due = due_of(start)
        yield Finding(
            key=f"case:{row['pk']}:{code}",
            organization_id=row["branch_id"],
            summary=_("%(name)s 的发展党员步骤“%(step)s”已超期（应于 %(due)s 前完成）")
            % {"name": row["person__name"], "step": steps[code]["name"], "due": due.isoformat()},
            rule=_rule(code, months),
            level="warning",
            person_id=row["person_id"],
            url=reverse("recruitment:case", args=[row["pk"]]),
            detail={"step": code, "due": due.isoformat(), "from": start.isoformat()},
        )
