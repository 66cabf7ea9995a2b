"""Transfers in the to-do centre: the steps waiting for the user's side, and overdue 回执 (counts asked
with every module's)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import Scope
from dangjian.hooks.points import TodoItem
from dangjian.kit.counting import Answered
from dangjian.kit.dates import add_months
from dangjian.policy import get_policy
from dangjian.transfers.access import handles_transfers, receipt_due_q, waiting_q
from dangjian.transfers.models import OPEN_STATUSES, Transfer


def _ask(user: Any, scope: Scope) -> dict[str, Any]:
    if not handles_transfers(scope):
        return {}
    # The rows of the state machine the buttons on the detail page read (transfers.access), so a to-do
    # never points at a step the user cannot take.
    due = add_months(timezone.localdate(), -get_policy().transfer_receipt_due_months)
    overdue = receipt_due_q(scope) & Q(letters__voided_at__isnull=True, letters__issued_on__lt=due)
    open_ones = Transfer.objects.filter(status__in=OPEN_STATUSES)
    return {
        "waiting": open_ones.filter(waiting_q(scope)).distinct(),
        "overdue": open_ones.filter(overdue).distinct(),
    }


def _answer(user: Any, scope: Scope, counts: Mapping[str, int]) -> list[TodoItem]:
    items = []
    link = reverse("transfers:list") + "?open=1"
    if counts.get("waiting"):
        n = counts["waiting"]
        items.append(TodoItem("transfers", _("%(n)s 项组织关系转接待您办理") % {"n": n}, link, "warning", n))
    if counts.get("overdue"):
        n = counts["overdue"]
        items.append(
            TodoItem("transfers", _("%(n)s 份介绍信超过期限未收到回执") % {"n": n}, link, "danger", n)
        )
    return items


transfer_todos = Answered(_ask, _answer)
