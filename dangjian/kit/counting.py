"""Several row counts in one round trip: ``count_together({"a": qs1, "b": qs2}) -> {"a": n1, "b": n2}``.

A to-do provider or a tile asks a handful of "how many are waiting" questions of different tables; each
``.count()`` is a round trip, and the 工作台 asks a dozen providers. One statement of scalar subqueries —
``SELECT (SELECT COUNT(*) FROM (<qs1>) c0), (SELECT COUNT(*) FROM (<qs2>) c1)`` — answers them together,
each subquery planned as its own ``.count()`` would be (issue 20: the dashboard's query count).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, QuerySet

T = TypeVar("T")


@dataclass(frozen=True)
class Summed:
    """Asked of ``count_together`` in place of a queryset: the sum of the integer ``field`` over the
    queryset's rows (0 when none), in the same statement as the counts."""

    queryset: QuerySet[Any]
    field: str


def count_together(querysets: Mapping[str, QuerySet[Any] | Summed]) -> dict[str, int]:
    """The row count of each queryset (as ``qs.count()`` answers) — or, for a ``Summed``, the sum of its
    field — all in one query; none when empty."""
    result = dict.fromkeys(querysets, 0)
    parts: list[str] = []
    names: list[str] = []
    params: list[Any] = []
    using = "default"
    for name, asked in querysets.items():
        summed = isinstance(asked, Summed)
        qs = (asked.queryset if isinstance(asked, Summed) else asked).order_by()
        using = qs.db
        rows = qs.values(v=F(asked.field)) if isinstance(asked, Summed) else qs.values("pk")
        try:
            sql, qparams = rows.query.sql_with_params()
        except EmptyResultSet:  # a filter that matches nothing (an empty scope): 0 without asking
            continue
        alias = f"c{len(parts)}"
        reduce = f"COALESCE(SUM({alias}.v), 0)" if summed else "COUNT(*)"
        parts.append(f"(SELECT {reduce} FROM ({sql}) {alias})")
        names.append(name)
        params.extend(qparams)
    if parts:
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            row = cursor.fetchone()
        result.update({name: int(n) for name, n in zip(names, row, strict=True)})
    return result


TODO_COUNTS = "kit.counting.todo_counts"  # the scope memo's key for the to-do centre's counts


def recall_count(scope: Any, key: str, qs: QuerySet[Any]) -> int:
    """``qs.count()``, unless the to-do centre has counted the same question (``"<provider>:<key>"``) in
    this request: a 工作台 tile that shows one of the to-dos' figures costs no query of its own."""
    counted = scope.memo.get(TODO_COUNTS)
    if counted is not None and key in counted:
        return int(counted[key])
    return qs.count()


@dataclass(frozen=True)
class Answered(Generic[T]):
    """A two-part to-do provider (``hooks.TodoProvider``'s ``ask`` and ``answer``) that can also be called
    on its own, as its module's pages and tests do: ``answer(user, scope, counts of ask(user, scope))``."""

    ask: Callable[[Any, Any], Mapping[str, QuerySet[Any] | Summed]]
    answer: Callable[[Any, Any, Mapping[str, int]], T]

    def __call__(self, user: Any, scope: Any) -> T:
        return self.answer(user, scope, count_together(self.ask(user, scope)))
