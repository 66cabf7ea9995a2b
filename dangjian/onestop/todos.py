"""智慧服务 in the to-do centre: the open requests addressed to organizations the user handles, overdue
ones called out first. One query."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.hooks.points import TodoItem


def onestop_todos(user: Any, scope: Scope) -> list[TodoItem]:
    from dangjian.onestop.selectors import open_count

    if not scope.has(Permission.HANDLE_REQUESTS):
        return []
    waiting, overdue = open_count(scope)
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
