"""manage.py rebuild_counters: every organization's counter row (OrgCounts) from people and memberships,
in one set-based statement. Run after a bulk load that bypassed the services (a restore, a SQL import);
``check_consistency`` reports and repairs drift nightly."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from dangjian.core.services.counters import counters_rebuild


class Command(BaseCommand):
    help = "Recompute the organization counter table (OrgCounts) from people and memberships."

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        rows = counters_rebuild()
        elapsed = time.perf_counter() - start
        self.stdout.write(
            self.style.SUCCESS(f"计数表已重建 (counter rows rebuilt): {rows} in {elapsed:.1f} s")
        )
