"""The to-do centre: each app registers a provider that lists the user's open items."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dangjian.accounts.scope import Scope


@dataclass(frozen=True)
class TodoItem:
    source: str  # the app, e.g. "core"
    title: str
    link: str
    severity: str = "info"  # "info" | "warning" | "danger"
    count: int = 1
    due: Any = None


TodoProvider = Callable[[Any, Scope], list[TodoItem]]
_providers: dict[str, TodoProvider] = {}


def register(name: str) -> Callable[[TodoProvider], TodoProvider]:
    def decorator(func: TodoProvider) -> TodoProvider:
        _providers[name] = func
        return func

    return decorator


def todos_for(user: Any, scope: Scope) -> list[TodoItem]:
    items: list[TodoItem] = []
    for name in sorted(_providers):
        items.extend(_providers[name](user, scope))
    order = {"danger": 0, "warning": 1, "info": 2}
    return sorted(items, key=lambda i: order.get(i.severity, 3))
