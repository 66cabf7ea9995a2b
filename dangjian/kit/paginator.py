"""A paginator for lists that can hold a million rows: it counts at most ``cap`` rows.

COUNT(*) over a province's members costs more than the page itself; past the cap the page says "100000+".
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator


class CappedPaginator(Paginator):
    cap = 100_000

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        found = self.object_list.order_by()[: self.cap + 1].count()  # type: ignore[attr-defined]
        self.capped = found > self.cap
        return min(found, self.cap)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.capped = False


class CountedPaginator(Paginator):
    """A paginator told its count by the caller, who has it already (a summary counted in the same
    pass): no COUNT(*) of its own."""

    def __init__(self, object_list: Any, per_page: int, *, count: int, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return self._known_count
