"""Transfers in the to-do centre: the steps waiting for the user's side, and overdue 回执 (one query)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.workbench.todos import TodoItem, register


@register("transfers")
def transfer_todos(user: Any, scope: Scope) -> list[TodoItem]:
    P = Permission
    if not (scope.has(P.MANAGE_TRANSFERS) or scope.has(P.APPROVE_TRANSFERS)):
        return []
    from dangjian.core.dates import add_months
    from dangjian.policy import get_policy
    from dangjian.transfers.models import OPEN_STATUSES, OUT_KINDS, Transfer, TransferKind, TransferStatus

    S = TransferStatus
    branch_step = Q(status=S.REQUESTED) & scope.q(P.MANAGE_TRANSFERS, "from_org__path")
    college_step = Q(status=S.BRANCH_APPROVED) & scope.q(P.APPROVE_TRANSFERS, "from_org__path")
    receiving = Q(status=S.COLLEGE_APPROVED, kind=TransferKind.IN_SCHOOL) & scope.q(
        P.APPROVE_TRANSFERS, "to_college__path"
    )
    due = add_months(timezone.localdate(), -get_policy().transfer_receipt_due_months)
    overdue = Q(
        status=S.COLLEGE_APPROVED,
        kind__in=OUT_KINDS,
        letters__voided_at__isnull=True,
        letters__issued_on__lt=due,
    ) & scope.q(P.APPROVE_TRANSFERS, "from_org__path")
    counts = Transfer.objects.filter(status__in=OPEN_STATUSES).aggregate(
        waiting=Count("id", filter=branch_step | college_step | receiving, distinct=True),
        overdue=Count("id", filter=overdue, distinct=True),
    )
    items = []
    link = reverse("transfers:list") + "?open=1"
    if counts["waiting"]:
        n = counts["waiting"]
        items.append(TodoItem("transfers", _("%(n)s 项组织关系转接待您办理") % {"n": n}, link, "warning", n))
    if counts["overdue"]:
        n = counts["overdue"]
        items.append(
            TodoItem("transfers", _("%(n)s 份介绍信超过期限未收到回执") % {"n": n}, link, "danger", n)
        )
    return items
