"""manage.py rebuild_attendance_tally: every attendance tally row (AttendanceTally, ADR 0009) from the held
meetings' attendees, in one set-based statement. Run after a bulk load that bypassed the meeting services
(a restore, a SQL import); the nightly ``orglife-repair-tally`` task reports and repairs drift."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from dangjian.orglife.compliance.tally import tally_rebuild


class Command(BaseCommand):
    help = "Recompute the attendance tally (AttendanceTally) from the held meetings' attendees."

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        rows = tally_rebuild()
        elapsed = time.perf_counter() - start
        self.stdout.write(
            self.style.SUCCESS(f"出勤统计表已重建 (attendance tally rows rebuilt): {rows} in {elapsed:.1f} s")
        )
