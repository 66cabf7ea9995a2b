"""Compliance warnings (6 months without organizational life) in the to-do centre."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.hooks.points import TodoItem
from dangjian.kit.counting import Answered
from dangjian.orglife import access


def _ask(user: Any, scope: Scope) -> dict[str, Any]:
    """Open absence warnings of the branches the user runs organizational life for."""
    if not scope.has(Permission.MANAGE_ORGLIFE):
        return {}
    from dangjian.orglife.models import AbsenceWarning, WarningStatus

    return {
        "open": AbsenceWarning.objects.filter(
            access.manage_q(scope, "branch__path"), status=WarningStatus.OPEN
        )
    }


def _answer(user: Any, scope: Scope, counts: Mapping[str, int]) -> list[TodoItem]:
    from dangjian.policy import get_policy

    n = counts.get("open", 0)
    if not n:
        return []
    return [
        TodoItem(
            "orglife",
            _("%(n)s 名党员连续 %(m)s 个月未参加组织生活，待支部处理")
            % {"n": n, "m": get_policy().orglife_absence_warning_months},
            reverse("orglife:stats_warnings") + "?status=open",
            "danger",
            n,
        )
    ]


absence_warning_todos = Answered(_ask, _answer)
