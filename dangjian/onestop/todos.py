"""智慧服务 in the to-do centre: the open requests addressed to organizations the user handles, overdue
ones called out first. One query."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.hooks.points import TodoItem
from dangjian.kit.counting import Answered


def _ask(user: Any, scope: Scope) -> dict[str, Any]:
    from dangjian.onestop.selectors import waiting

    if not scope.has(Permission.HANDLE_REQUESTS):
        return {}
    return waiting(scope)


def _answer(user: Any, scope: Scope, n: Mapping[str, int]) -> list[TodoItem]:
    waiting, overdue = n.get("waiting", 0), n.get("overdue", 0)
    if not waiting:
        return []
    link = reverse("onestop:handle")
    items: list[TodoItem] = []
    if overdue:
        items.append(
            TodoItem("onestop", _("%(n)s 件服务申请已超过办理期限") % {"n": overdue}, link, "danger", overdue)
        )
    items.append(TodoItem("onestop", _("%(n)s 件服务申请待办理") % {"n": waiting}, link, "info", waiting))
    return items


onestop_todos = Answered(_ask, _answer)
