"""Dues in the to-do centre: declarations to confirm, reliefs and reports to decide, last month to hand up."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.workbench.todos import TodoItem, register


@register("dues")
def dues_todos(user: Any, scope: Scope) -> list[TodoItem]:
    from dangjian.core.dates import add_months
    from dangjian.core.models import Organization, OrgKind
    from dangjian.dues.models import MonthReport, ReportStatus
    from dangjian.dues.selectors import pending_declarations, pending_reliefs, reports_to_confirm

    items: list[TodoItem] = []
    if scope.has(Permission.MANAGE_DUES):
        n = pending_declarations(scope).count()
        if n:
            items.append(
                TodoItem(
                    "dues",
                    _("%(n)s 条党员交费申报待确认") % {"n": n},
                    reverse("dues:declarations"),
                    "warning",
                    n,
                )
            )
        this_month = timezone.localdate().replace(day=1)
        last_month = add_months(this_month, -1)
        reports = list(
            MonthReport.objects.filter(
                organization__in=Organization.objects.filter(
                    scope.q(Permission.MANAGE_DUES), kind=OrgKind.BRANCH, is_active=True
                ),
                month__in=[this_month, last_month],
            ).select_related("organization")[:2000]
        )
        unpaid = sum(r.unpaid_count for r in reports if r.month == this_month)
        if unpaid:
            items.append(
                TodoItem(
                    "dues",
                    _("本月还有 %(n)s 名党员未交党费") % {"n": unpaid},
                    reverse("dues:home"),
                    "info",
                    unpaid,
                )
            )
        to_hand_up = [
            r
            for r in reports
            if r.month == last_month
            and r.status in (ReportStatus.OPEN, ReportStatus.RETURNED)
            and (r.due_count or r.collected_amount)
        ]
        for report in to_hand_up[:5]:
            items.append(
                TodoItem(
                    "dues",
                    _("%(org)s %(m)s 党费待上交")
                    % {"org": report.organization.name, "m": f"{last_month:%Y-%m}"},
                    reverse("dues:org", args=[report.organization_id]) + f"?month={last_month:%Y-%m}",
                    "warning" if report.status == ReportStatus.RETURNED else "info",
                )
            )
    if scope.has(Permission.MANAGE_DUES) or scope.has(Permission.CONFIRM_DUES):
        n = pending_reliefs(scope).count()
        if n:
            items.append(
                TodoItem(
                    "dues", _("%(n)s 条党费减免申请待审批") % {"n": n}, reverse("dues:reliefs"), "warning", n
                )
            )
    if scope.has(Permission.CONFIRM_DUES):
        n = reports_to_confirm(scope).count()
        if n:
            items.append(
                TodoItem(
                    "dues",
                    _("%(n)s 份党费月报待确认") % {"n": n},
                    reverse("dues:confirm_queue"),
                    "warning",
                    n,
                )
            )
    return items
