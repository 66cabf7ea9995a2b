"""Dues in the to-do centre: declarations to confirm, reliefs and reports to decide, last month to hand up."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import Scope
from dangjian.dues import access
from dangjian.hooks.points import TodoItem
from dangjian.kit.counting import Answered, Summed


def _months() -> tuple[Any, Any]:
    from dangjian.kit.dates import add_months

    this_month = timezone.localdate().replace(day=1)
    return this_month, add_months(this_month, -1)


def _reports(scope: Scope) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """The branch month reports the user runs, and those of last month still to hand up."""
    from dangjian.core.models import Organization, OrgKind
    from dangjian.dues.models import MonthReport, ReportStatus

    _this, last_month = _months()
    # Summed and picked in the database: a school has a thousand branch reports a month.
    reports = MonthReport.objects.filter(
        organization__in=Organization.objects.filter(
            access.manage_q(scope), kind=OrgKind.BRANCH, is_active=True
        )
    )
    to_hand_up = reports.filter(
        month=last_month, status__in=(ReportStatus.OPEN, ReportStatus.RETURNED)
    ).filter(~Q(due_count=0) | ~Q(collected_amount=0))
    return reports, to_hand_up


def _ask(user: Any, scope: Scope) -> dict[str, Any]:
    from dangjian.dues.models import ReportStatus
    from dangjian.dues.selectors import pending_declarations, pending_reliefs, reports_to_confirm

    asked: dict[str, Any] = {}
    if access.may_manage_some(scope):
        asked["declarations"] = pending_declarations(scope)
        reports, to_hand_up = _reports(scope)
        asked["to_hand_up"] = to_hand_up
        # When one branch's month waits, which one and whether it came back: the sum of one id is the id.
        asked["to_hand_up_org"] = Summed(to_hand_up, "organization_id")
        asked["to_hand_up_returned"] = to_hand_up.filter(status=ReportStatus.RETURNED)
        asked["unpaid"] = Summed(reports.filter(month=_months()[0]), "unpaid_count")
    if access.may_decide_some_relief(scope):
        asked["reliefs"] = pending_reliefs(scope)
    if access.may_confirm_some(scope):
        asked["to_confirm"] = reports_to_confirm(scope)
    return asked


def _org_name(scope: Scope, org_id: int) -> str:
    """The branch's name: from the scope when the user holds a role there (a secretary), else one query."""
    from dangjian.core.models import Organization

    granted = next((g.org_name for g in scope.grants if g.org_id == org_id), None)
    return granted or Organization.objects.values_list("name", flat=True).get(pk=org_id)


def _answer(user: Any, scope: Scope, counted: Mapping[str, int]) -> list[TodoItem]:
    """The counts (this month's unpaid members a sum among them) and, when one branch's month waits,
    that month (its branch from the counts too; its name from the scope, or one query)."""
    items: list[TodoItem] = []
    last_month = _months()[1]
    if access.may_manage_some(scope):
        n = counted.get("declarations", 0)
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
        unpaid = counted.get("unpaid", 0)
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
        n = counted.get("to_hand_up", 0)
        if n == 1:  # one branch: straight to its month
            org_id = counted.get("to_hand_up_org", 0)
            items.append(
                TodoItem(
                    "dues",
                    _("%(org)s %(m)s 党费待上交")
                    % {"org": _org_name(scope, org_id), "m": f"{last_month:%Y-%m}"},
                    reverse("dues:org", args=[org_id]) + f"?month={last_month:%Y-%m}",
                    "warning" if counted.get("to_hand_up_returned") else "info",
                )
            )
        elif n > 1:  # several: one line, not one per branch
            items.append(
                TodoItem(
                    "dues",
                    _("%(n)s 个党支部 %(m)s 党费待上交") % {"n": n, "m": f"{last_month:%Y-%m}"},
                    reverse("dues:home") + f"?month={last_month:%Y-%m}",
                    "info",
                    n,
                )
            )
    n = counted.get("reliefs", 0)
    if n:
        items.append(
            TodoItem(
                "dues", _("%(n)s 条党费减免申请待审批") % {"n": n}, reverse("dues:reliefs"), "warning", n
            )
        )
    n = counted.get("to_confirm", 0)
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


dues_todos = Answered(_ask, _answer)
