"""The order in which demo seeders run: each after the ones it names, ties in contribution order."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from dangjian.hooks.points import DemoSeeder


def seeding_order(seeders: list[DemoSeeder], *, done: tuple[str, ...] = ("core",)) -> list[DemoSeeder]:
    pending = list(seeders)
    known = {s.name for s in seeders} | set(done)
    for seeder in seeders:
        missing = [name for name in seeder.after if name not in known]
        if missing:
            raise ImproperlyConfigured(f"demo seeder {seeder.name!r} needs {missing}, which nobody seeds")
    finished = set(done)
    ordered: list[DemoSeeder] = []
    while pending:
        ready = next((s for s in pending if set(s.after) <= finished), None)
        if ready is None:
            raise ImproperlyConfigured(f"demo seeders wait for each other: {[s.name for s in pending]}")
        ordered.append(ready)
        finished.add(ready.name)
        pending.remove(ready)
    return ordered
