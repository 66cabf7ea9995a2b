"""The 工作台 tile of plans: for a branch secretary, next month's plan (whether it exists, its state, one
tap to make, copy or open it); for an organizer, how many plans wait for their review. Two queries at
most (the branches, shared with the secretary's tile, and their plans), whatever the number of plans."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization
from dangjian.kit.counting import recall_count
from dangjian.kit.dates import add_months
from dangjian.orglife import access
from dangjian.orglife.meetings.selectors import branches_run
from dangjian.orglife.models import PeriodKind, Plan, PlanStatus

P = Permission

STATE_LABELS: dict[str | None, Any] = {
    None: _("未制定"),
    PlanStatus.DRAFT: _("草稿"),
    PlanStatus.SUBMITTED: _("已提交待审"),
    PlanStatus.RETURNED: _("已退回"),
    PlanStatus.APPROVED: _("已通过"),
}


def plan_tile(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    if scope.has(P.REVIEW_ORGLIFE):
        waiting = recall_count(  # the to-do's count
            scope, "orglife:waiting", Plan.objects.filter(access.review_q(scope), status=PlanStatus.SUBMITTED)
        )
        return {"reviewer": True, "waiting": waiting} if waiting else None
    if not scope.has(P.MANAGE_ORGLIFE):
        return None
    branches = branches_run(scope)
    if not branches:
        return None
    month = add_months(timezone.localdate().replace(day=1), 1)
    monthly = Plan.objects.filter(organization_id=OuterRef("pk"), period_kind=PeriodKind.MONTH)
    this_month = monthly.filter(period_start=month).order_by()
    # One query for every branch: next month's plan (its id and state) and whether an earlier one exists.
    found = {
        r["pk"]: r
        for r in Organization.objects.filter(pk__in=[b.pk for b in branches])
        .annotate(
            plan_pk=Subquery(this_month.values("pk")[:1]),
            plan_status=Subquery(this_month.values("status")[:1]),
            earlier=Exists(monthly.filter(period_start__lt=month)),
        )
        .values("pk", "plan_pk", "plan_status", "earlier")
    }
    rows = []
    for b in branches:
        row = found.get(b.pk, {})
        status = row.get("plan_status")
        rows.append(
            {
                "branch": b,
                "plan": {"pk": row["plan_pk"]} if status else None,
                "state": STATE_LABELS[status],
                "status": status or "none",
                "can_copy": status is None and bool(row.get("earlier")),
            }
        )
    return {"reviewer": False, "month": month, "rows": rows}
