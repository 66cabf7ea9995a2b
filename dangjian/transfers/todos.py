"""Transfers in the to-do centre: the steps waiting for the user's side, and overdue 回执."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.workbench.todos import TodoItem, register


@register("transfers")
def transfer_todos(user: Any, scope: Scope) -> list[TodoItem]:
    if not (scope.has(Permission.MANAGE_TRANSFERS) or scope.has(Permission.APPROVE_TRANSFERS)):
        return []
    from dangjian.core.dates import add_months
    from dangjian.policy import get_policy
    from dangjian.transfers.models import OUT_KINDS, Transfer, TransferKind, TransferStatus

    P = Permission
    waiting = (
        Transfer.objects.filter(
            scope.q(P.MANAGE_TRANSFERS, "from_org__path"), status=TransferStatus.REQUESTED
        ).count()
        if scope.has(P.MANAGE_TRANSFERS)
        else 0
    )
    if scope.has(P.APPROVE_TRANSFERS):
        waiting += Transfer.objects.filter(
            scope.q(P.APPROVE_TRANSFERS, "from_org__path"), status=TransferStatus.BRANCH_APPROVED
        ).count()
        waiting += Transfer.objects.filter(
            scope.q(P.APPROVE_TRANSFERS, "to_college__path"),
            status=TransferStatus.COLLEGE_APPROVED,
            kind=TransferKind.IN_SCHOOL,
        ).count()
    items = []
    link = reverse("transfers:list") + "?open=1"
    if waiting:
        items.append(
            TodoItem(
                "transfers", _("%(n)s 项组织关系转接待您办理") % {"n": waiting}, link, "warning", waiting
            )
        )
    if scope.has(P.APPROVE_TRANSFERS):
        due = add_months(timezone.localdate(), -get_policy().transfer_receipt_due_months)
        overdue = Transfer.objects.filter(
            scope.q(P.APPROVE_TRANSFERS, "from_org__path"),
            status=TransferStatus.COLLEGE_APPROVED,
            kind__in=OUT_KINDS,
            letters__voided_at__isnull=True,
            letters__issued_on__lt=due,
        ).count()
        if overdue:
            items.append(
                TodoItem(
                    "transfers",
                    _("%(n)s 份介绍信超过期限未收到回执") % {"n": overdue},
                    link,
                    "danger",
                    overdue,
                )
            )
    return items
