"""Re-encrypting the encrypted columns under the newest field key, in batches (key rotation).

Every encrypted column is listed by ``encrypted_columns`` — the people's ID numbers and their
simple-history copies (a history row keeps the ciphertext of its day; once the old key is removed it
would be unreadable if left behind), and the columns modules declare (``hooks.encrypted_fields``: the
书记信箱's public writers' contacts). Rows are walked in id order; a row already under the newest key is
skipped, so an interrupted run is simply run again. Re-encryption changes no value: it bypasses
``save()`` (no history row, no ``updated_at``), and each batch is audited once, not per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models, transaction

from dangjian import audit, hooks
from dangjian.core import crypto
from dangjian.core.models import Person


@dataclass(frozen=True)
class EncryptedColumn:
    model: type[models.Model]
    field: str

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field}"


def encrypted_columns() -> list[EncryptedColumn]:
    """The people's ID numbers (and their history), then every column a module declared
    (``hooks.encrypted_fields``)."""
    history: Any = Person.history  # simple-history's manager: its model is the historical table's
    return [
        EncryptedColumn(Person, "id_number_encrypted"),
        EncryptedColumn(history.model, "id_number_encrypted"),
        *(EncryptedColumn(apps.get_model(e.model), e.field) for e in hooks.encrypted_fields.all()),
    ]


@dataclass(frozen=True)
class RotatedBatch:
    column: str
    scanned: int
    reencrypted: int
    last_id: int


def _batches(column: EncryptedColumn, batch_size: int) -> Iterator[list[tuple[int, str]]]:
    pk = column.model._meta.pk
    assert pk is not None
    last = 0
    while True:
        rows: list[tuple[int, str]] = list(
            column.model._default_manager.filter(**{f"{pk.attname}__gt": last})
            .exclude(**{column.field: ""})
            .order_by(pk.attname)
            .values_list(pk.attname, column.field)[:batch_size]
        )
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _rotate_batch(column: EncryptedColumn, rows: list[tuple[int, str]], actor: Any) -> RotatedBatch:
    stale = [(pk, token) for pk, token in rows if not crypto.under_newest_key(token)]
    if stale:
        pk_name = column.model._meta.pk.attname  # type: ignore[union-attr]
        with transaction.atomic():
            for pk, token in stale:
                column.model._default_manager.filter(**{pk_name: pk}).update(
                    **{column.field: crypto.reencrypted(token)}
                )
            audit.record(
                actor=actor,
                action="field_keys.rotate",
                changes={
                    "column": column.label,
                    "rows": len(stale),
                    "first_id": stale[0][0],
                    "last_id": stale[-1][0],
                },
            )
    return RotatedBatch(column.label, len(rows), len(stale), rows[-1][0])


def field_keys_rotate(
    *, actor: Any, batch_size: int = 1000, progress: Callable[[RotatedBatch], None] | None = None
) -> int:
    """Re-encrypt every value not yet under the newest key; returns how many were re-encrypted."""
    total = 0
    for column in encrypted_columns():
        for rows in _batches(column, batch_size):
            batch = _rotate_batch(column, rows, actor)
            total += batch.reencrypted
            if progress is not None:
                progress(batch)
    return total
