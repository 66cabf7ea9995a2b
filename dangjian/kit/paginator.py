"""A paginator for lists that can hold a million rows: it counts at most ``cap`` rows.

COUNT(*) over a province's members costs more than the page itself; past the cap the page says "100000+".
Where the exact total is known without counting (a maintained counter for an unfiltered list), the view
passes it as ``known_count`` and no COUNT runs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.core.paginator import Paginator

# Rows counted at most (and so the last page one can reach: filter to see more). Counting 100,001 rows
# costs ~80 ms at province size, hence ``known_count`` for the lists that have a counter.
COUNT_CAP = 100_000


class CappedPaginator(Paginator):
    cap = COUNT_CAP

    def __init__(
        self, *args: Any, known_count: Callable[[], int | None] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.capped = False
        self._known_count = known_count

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        known = self._known_count() if self._known_count else None
        if known is not None:
            return known
        found = self.object_list.order_by()[: self.cap + 1].count()  # type: ignore[attr-defined]
        self.capped = found > self.cap
        return min(found, self.cap)
