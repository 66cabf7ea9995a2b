"""The 工作台 tile of plans: for a branch secretary, next month's plan (whether it exists, its state, one
tap to make, copy or open it); for an organizer, how many plans wait for their review. Three queries at
most, whatever the number of plans."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
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
    ids = [b.pk for b in branches]
    monthly = Plan.objects.filter(organization_id__in=ids, period_kind=PeriodKind.MONTH)
    plans = {p.organization_id: p for p in monthly.filter(period_start=month)}
    earlier = set(monthly.filter(period_start__lt=month).values_list("organization_id", flat=True))
    rows = []
    for b in branches:
        plan = plans.get(b.pk)
        status = plan.status if plan else None
        rows.append(
            {
                "branch": b,
                "plan": plan,
                "state": STATE_LABELS[status],
                "status": status or "none",
                "can_copy": plan is None and b.pk in earlier,
            }
        )
    return {"reviewer": False, "month": month, "rows": rows}
