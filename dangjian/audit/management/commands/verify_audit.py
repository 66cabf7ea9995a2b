"""manage.py verify_audit: recompute the audit hash chains; exit 1 naming the first break of each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.audit.integrity import BATCH_SIZE, verify_chains


class Command(BaseCommand):
    help = "Verify the audit log's hash chains (edited, deleted or inserted events); exit 1 on a break."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since", type=dt.date.fromisoformat, help="only chains of this day (YYYY-MM-DD) on"
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(
        self, *args: Any, since: dt.date | None = None, batch_size: int = BATCH_SIZE, **options: Any
    ) -> None:
        result = verify_chains(since=since, batch_size=batch_size)
        for broken in result.breaks:
            self.stdout.write(broken.zh)
            self.stdout.write(broken.en)
        summary = (
            f"{result.chains} 条链，{result.events} 条事件 / {result.chains} chains, {result.events} events"
        )
        if not result.ok:
            self.stdout.write(summary)
            raise CommandError(
                f"审计日志被篡改：{len(result.breaks)} 处断裂 / the audit log was tampered with: "
                f"{len(result.breaks)} broken links"
            )
        self.stdout.write(self.style.SUCCESS(f"审计链完整：{summary} / the audit chains are intact"))
