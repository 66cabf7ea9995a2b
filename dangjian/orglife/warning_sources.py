"""What 组织生活 contributes to the 预警 centre (issue 16): every case in the whole tree, set-based.

- ``orglife.absence``: the open 连续未参加组织生活 warnings (``compliance.warnings`` raises them; 党章
  第九条), one finding per warning, serious — the member is treated as 自行脱党 if it goes on.
- ``orglife.plan_missing``: an active branch that, ``orglife_plan_due_days`` days into the month
  [local practice], has no submitted or approved plan covering today (this month's, this quarter's or
  this year's); a notice, one per branch and month.
- ``orglife.problem_overdue``: a problem found by a supervisor still open after its 整改时限
  (``Problem.rectify_by``, set ``orglife_rectify_days`` after the feedback); a warning per problem.
- the last organizational life each person attended (present at a held meeting), for the 失联 warning
  of ``insights`` (``hooks.LastContact``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind
from dangjian.hooks import Finding
from dangjian.orglife.models import (
    HELD_STATUSES,
    AbsenceWarning,
    Attendance,
    Attendee,
    PeriodKind,
    Plan,
    PlanStatus,
    Problem,
    ProblemStatus,
    WarningStatus,
)
from dangjian.policy import get_policy

P = Permission
_PROBLEM_ORG = "feedback__assignment__meeting__organization"


# ---- 连续未参加组织生活 ---------------------------------------------------------------------------


def absence_findings(today: date) -> Iterator[Finding]:
    """One finding per open absence warning (one query)."""
    months = get_policy().orglife_absence_warning_months
    link = reverse("orglife:stats_warnings")
    rows = (
        AbsenceWarning.objects.filter(status=WarningStatus.OPEN)
        .values("pk", "person_id", "person__name", "branch_id", "window_start", "window_end", "missed")
        .order_by("pk")
    )
    for row in rows.iterator(chunk_size=2000):
        yield Finding(
            key=f"warning:{row['pk']}",
            organization_id=row["branch_id"],
            summary=_("%(name)s 已连续 %(n)s 个月未参加组织生活（%(start)s 至 %(end)s，缺席 %(missed)s 次）")
            % {
                "name": row["person__name"],
                "n": months,
                "start": f"{row['window_start']:%Y-%m}",
                "end": f"{row['window_end']:%Y-%m}",
                "missed": row["missed"],
            },
            rule=_("党章 第九条：党员无正当理由，连续六个月不参加党的组织生活，被认为是自行脱党"),
            level="serious",
            person_id=row["person_id"],
            url=f"{link}?org={row['branch_id']}",
            detail={"window": [row["window_start"].isoformat(), row["window_end"].isoformat()]},
        )


# ---- 组织生活计划未提交 ---------------------------------------------------------------------------


def _periods(today: date) -> tuple[date, date, date]:
    """The first days of today's month, quarter and year."""
    month = today.replace(day=1)
    quarter = month.replace(month=(month.month - 1) // 3 * 3 + 1)
    return month, quarter, month.replace(month=1)


def plan_due(today: date) -> bool:
    """The running month's plan is due: ``orglife_plan_due_days`` days of the month have passed."""
    return today >= today.replace(day=1) + timedelta(days=get_policy().orglife_plan_due_days)


def branches_without_plan(today: date) -> QuerySet[Organization]:
    """Active branches with no submitted or approved plan covering ``today`` (month, quarter or year)."""
    month, quarter, year = _periods(today)
    covered = Plan.objects.filter(
        organization_id=OuterRef("pk"),
        status__in=(PlanStatus.SUBMITTED, PlanStatus.APPROVED),
    ).filter(
        Q(period_kind=PeriodKind.MONTH, period_start=month)
        | Q(period_kind=PeriodKind.QUARTER, period_start=quarter)
        | Q(period_kind=PeriodKind.YEAR, period_start=year)
    )
    return Organization.objects.filter(kind=OrgKind.BRANCH, is_active=True).filter(~Exists(covered))


def plan_findings(today: date) -> Iterable[Finding]:
    if not plan_due(today):
        return
    days = get_policy().orglife_plan_due_days
    month = today.replace(day=1)
    link = reverse("orglife:plans")
    rows = branches_without_plan(today).values("pk", "name").order_by("pk")
    for row in rows.iterator(chunk_size=2000):
        yield Finding(
            key=f"org:{row['pk']}:plan:{month:%Y-%m}",
            organization_id=row["pk"],
            summary=_("%(org)s 尚未提交 %(month)s 的组织生活计划（本月已过 %(days)s 日）")
            % {"org": row["name"], "month": f"{month:%Y-%m}", "days": days},
            rule=_("本校规定：党支部在每月（季度）开始后 %(days)s 日内提交组织生活计划") % {"days": days},
            level="notice",
            url=f"{link}?org={row['pk']}",
            detail={"month": month.isoformat()},
        )


def plan_missing_count(scope: Scope, today: date) -> int:
    if not plan_due(today):
        return 0
    return branches_without_plan(today).filter(scope.q(P.VIEW_ORGLIFE, "path")).count()


# ---- 督查问题整改超期 -------------------------------------------------------------------------------


def _overdue_problems(today: date) -> QuerySet[Problem]:
    return Problem.objects.filter(status=ProblemStatus.OPEN, rectify_by__lt=today)


def problem_findings(today: date) -> Iterator[Finding]:
    link = reverse("orglife:sup_problems")
    rows = (
        _overdue_problems(today)
        .values(
            "pk",
            "description",
            "rectify_by",
            f"{_PROBLEM_ORG}_id",
            "feedback__assignment__meeting__topic",
            "feedback__assignment__meeting__date",
        )
        .order_by("pk")
    )
    for row in rows.iterator(chunk_size=2000):
        org_id = row[f"{_PROBLEM_ORG}_id"]
        yield Finding(
            key=f"problem:{row['pk']}",
            organization_id=org_id,
            summary=_("督查发现的问题“%(problem)s”已超过整改时限 %(due)s 未整改（%(date)s %(topic)s）")
            % {
                "problem": row["description"][:80],
                "due": row["rectify_by"].isoformat(),
                "date": row["feedback__assignment__meeting__date"].isoformat(),
                "topic": row["feedback__assignment__meeting__topic"][:40],
            },
            rule=_("本校规定：组织生活督查发现的问题，支部在整改时限内整改并答复（默认 %(days)s 日）")
            % {"days": get_policy().orglife_rectify_days},
            level="warning",
            url=f"{link}?org={org_id}&status=open&overdue=1",
            detail={"rectify_by": row["rectify_by"].isoformat()},
        )


def problem_overdue_count(scope: Scope, today: date) -> int:
    return _overdue_problems(today).filter(scope.q(P.VIEW_ORGLIFE, f"{_PROBLEM_ORG}__path")).count()


# ---- the last organizational life attended (for 失联) ----------------------------------------------


def last_attended() -> Iterator[tuple[int, date]]:
    """Each person's latest held meeting at which they were present (one GROUP BY query)."""
    rows = (
        Attendee.objects.filter(attendance=Attendance.PRESENT, meeting__status__in=HELD_STATUSES)
        .values("person_id")
        .annotate(last=Max("meeting__date"))
        .values_list("person_id", "last")
        .order_by()
    )
    return rows.iterator(chunk_size=5000)
