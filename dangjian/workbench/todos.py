"""The to-do centre: every module's ``TodoProvider`` (``hooks.todos``) lists the user's open items."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dangjian import hooks
from dangjian.accounts.scope import Scope
from dangjian.hooks.points import TodoItem
from dangjian.kit.counting import TODO_COUNTS, count_together

_SEVERITY_ORDER = {"danger": 0, "warning": 1, "info": 2}


def todos_for(user: Any, scope: Scope, *, also: Mapping[str, Any] | None = None) -> list[TodoItem]:
    """Every provider's items, most severe first. The counting providers' questions are asked together:
    one query for all of them, however many modules there are — with the 工作台 tiles' questions
    (``also``, named "tile.<key>:<name>"), which the tiles read back with ``recall_count``."""
    providers = sorted(hooks.todos.all(), key=lambda p: p.name)
    asked: dict[str, Any] = dict(also or {})
    for provider in providers:
        if provider.ask is not None:
            asked.update({f"{provider.name}:{k}": qs for k, qs in provider.ask(user, scope).items()})
    counted = count_together(asked)
    scope.memo[TODO_COUNTS] = (
        counted  # a tile showing one of these figures reads it (kit.counting.recall_count)
    )
    items: list[TodoItem] = []
    for provider in providers:
        if provider.answer is not None:
            prefix = f"{provider.name}:"
            counts = {k.removeprefix(prefix): n for k, n in counted.items() if k.startswith(prefix)}
            items.extend(provider.answer(user, scope, counts))
        elif provider.items is not None:
            items.extend(provider.items(user, scope))
    return sorted(items, key=lambda i: _SEVERITY_ORDER.get(i.severity, 3))
