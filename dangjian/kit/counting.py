"""Several row counts in one round trip: ``count_together({"a": qs1, "b": qs2}) -> {"a": n1, "b": n2}``.

A to-do provider or a tile asks a handful of "how many are waiting" questions of different tables; each
``.count()`` is a round trip, and the 工作台 asks a dozen providers. One statement of scalar subqueries —
``SELECT (SELECT COUNT(*) FROM (<qs1>) c0), (SELECT COUNT(*) FROM (<qs2>) c1)`` — answers them together,
each subquery planned as its own ``.count()`` would be (issue 20: the dashboard's query count).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def count_together(querysets: Mapping[str, QuerySet[Any]]) -> dict[str, int]:
    """The row count of each queryset (as ``qs.count()`` answers), all in one query; none when empty."""
    result = dict.fromkeys(querysets, 0)
    parts: list[str] = []
    names: list[str] = []
    params: list[Any] = []
    using = "default"
    for name, qs in querysets.items():
        using = qs.db
        try:
            sql, qparams = qs.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # a filter that matches nothing (an empty scope): 0 without asking
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) c{len(parts)})")
        names.append(name)
        params.extend(qparams)
    if parts:
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            row = cursor.fetchone()
        result.update({name: int(n) for name, n in zip(names, row, strict=True)})
    return result
