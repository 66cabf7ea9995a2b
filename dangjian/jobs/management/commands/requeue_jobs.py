"""manage.py requeue_jobs [--minutes N]: send again the jobs left pending while the broker was down."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand

from dangjian.jobs.services import job_requeue_stale


class Command(BaseCommand):
    help = "Re-enqueue jobs pending for more than N minutes (default JOB_REQUEUE_AFTER_MINUTES)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--minutes", type=int, default=None, help="0: every pending job")

    def handle(self, *args: Any, **options: Any) -> None:
        minutes = options["minutes"]
        sent = job_requeue_stale(older_than=None if minutes is None else timedelta(minutes=minutes))
        self.stdout.write(f"{sent} 个任务已重新排队 (jobs requeued)")
