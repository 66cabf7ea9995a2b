"""Statistics of the demo: the snapshots of the last two year-ends (the annual returns' figures: the
earlier one's return is locked in the demo, the later one's is being collected) and of yesterday,
computed by the engine from the demo's data like the nightly task would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from time import perf_counter

from django.utils import timezone

from dangjian.accounts.scope import Scope
from dangjian.reporting.services import snapshot_compute


def demo_dates() -> tuple[date, date, date]:
    today = timezone.localdate()
    return date(today.year - 2, 12, 31), date(today.year - 1, 12, 31), today - timedelta(days=1)


def seed_statistics(log: Callable[[str], None] | None = None, *, resume: bool = False) -> dict[str, int]:
    """The demo's snapshots; with ``resume`` (the province data set, which resumes an interrupted seed)
    a date whose snapshot is already there is skipped."""
    from dangjian.reporting.selectors import snapshot_on

    counts: dict[str, int] = {}
    for on in demo_dates():
        done = snapshot_on(on) if resume else None
        if done is not None:
            if log:
                log(f"  statistics snapshot {on}: {done.people} people already there, skipped")
            counts[f"statistics {on.isoformat()}"] = done.people
            continue
        start = perf_counter()
        snapshot = snapshot_compute(on=on, actor=None, scope=Scope.system())
        if log:
            log(f"  statistics snapshot {on}: {snapshot.people} people in {perf_counter() - start:.1f} s")
        counts[f"statistics {on.isoformat()}"] = snapshot.people
    return counts
