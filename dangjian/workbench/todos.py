"""The to-do centre: every module's ``TodoProvider`` (``hooks.todos``) lists the user's open items."""

from __future__ import annotations

from typing import Any

from dangjian import hooks
from dangjian.accounts.scope import Scope
from dangjian.hooks.points import TodoItem

_SEVERITY_ORDER = {"danger": 0, "warning": 1, "info": 2}


def todos_for(user: Any, scope: Scope) -> list[TodoItem]:
    items: list[TodoItem] = []
    for provider in sorted(hooks.todos.all(), key=lambda p: p.name):
        items.extend(provider.items(user, scope))
    return sorted(items, key=lambda i: _SEVERITY_ORDER.get(i.severity, 3))
