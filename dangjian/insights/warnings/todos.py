"""The 预警 centre in the to-do centre: the warnings nobody has taken yet (one query)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.hooks.points import TodoItem
from dangjian.insights.models import AlertStatus


def warning_todos(user: Any, scope: Scope) -> list[TodoItem]:
    if not scope.has(Permission.HANDLE_WARNINGS):
        return []
    from dangjian.insights.warnings.selectors import open_count

    n = open_count(scope)
    if not n:
        return []
    return [
        TodoItem(
            "insights",
            _("%(n)s 条预警待处理") % {"n": n},
            reverse("insights:warnings") + f"?status={AlertStatus.OPEN}",
            "warning",
            n,
        )
    ]
