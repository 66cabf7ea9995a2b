"""manage.py rotate_field_keys: re-encrypt the encrypted columns under the newest FIELD_ENCRYPTION_KEYS key.

Resumable: rows already under the newest key are skipped, so run it again after an interruption.
Step by step: docs/operations.md, 密钥轮换 / Key rotation.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dangjian.core.services.field_keys import RotatedBatch, field_keys_rotate


class Command(BaseCommand):
    help = "Re-encrypt ID numbers (and their history) under the newest field encryption key, in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, batch_size: int = 1000, **options: Any) -> None:
        def progress(batch: RotatedBatch) -> None:
            self.stdout.write(
                f"{batch.column}: 至 #{batch.last_id}，检查 {batch.scanned} 行，"
                f"重新加密 {batch.reencrypted} 行 / up to #{batch.last_id}: {batch.scanned} checked, "
                f"{batch.reencrypted} re-encrypted"
            )

        total = field_keys_rotate(actor=None, batch_size=batch_size, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(f"完成：重新加密 {total} 个值 / done: {total} values re-encrypted")
        )
