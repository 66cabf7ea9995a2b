"""How an entity is imported: its columns, how a row is cleaned, found, created or updated."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from dangjian.spreadsheets.cells import CellError, parse_date, text


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Chinese header in row 1 of the template
    required: bool = False
    kind: str = "text"  # text | date | choice
    choices: dict[str, str] = field(default_factory=dict)  # label shown in Excel → stored value
    help: str = ""
    example: str = ""
    # A date of something that already happened (joined, started, applied…): refused when after today.
    happened: bool = False

    def clean(self, raw: Any) -> Any:
        if self.kind == "date":
            value: Any = parse_date(raw)
        else:
            value = text(raw)
        if value in ("", None):
            if self.required:
                raise CellError(_("必填"))
            return "" if self.kind != "date" else None
        if self.kind == "choice":
            if value in self.choices:
                return self.choices[value]
            if value in self.choices.values():
                return value
            raise CellError(_("“%(v)s”不是可选值(可选：%(c)s)") % {"v": value, "c": "、".join(self.choices)})
        return value


@dataclass
class ScopedContext:
    """What every import's rules need: who imports, and the scope they act in."""

    actor: Any
    scope: Any


@dataclass
class RowOutcome:
    row: int  # the Excel row number (header is row 1)
    status: str = "error"  # new | updated | unchanged | error
    errors: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    target: Any = None


@dataclass(frozen=True)
class ImportSpec:
    """Subclass-free declaration: the columns and four functions of the entity."""

    name: str
    columns: tuple[Column, ...]
    natural_key: str | tuple[str, ...]  # column key(s); duplicates inside one file are refused
    # (values, context) -> errors by column key; may add derived values to ``values``
    validate: Callable[[dict[str, Any], Any], dict[str, str]]
    # (values, context) -> (existing object or None, error message or "")
    find: Callable[[dict[str, Any], Any], tuple[Any, str]]
    # (values, existing) -> True when applying would change nothing
    unchanged: Callable[[dict[str, Any], Any], bool]
    # (values, existing, context) -> saved object (through the services, audited)
    apply: Callable[[dict[str, Any], Any, Any], Any]
    instructions: tuple[str, ...] = ()
    unique_columns: tuple[str, ...] = ()  # other columns that must not repeat inside one file
    # (all cleaned rows, context) -> None: load what ``find`` needs in a few queries (optional)
    prefetch: Callable[[list[dict[str, Any]], Any], None] | None = None
    # (values of new rows, context) -> created objects: a faster path for a batch of creations (optional).
    # It must apply the same rules as ``apply``; on a DomainError/ValidationError the engine falls back
    # to ``apply`` row by row so each row gets its own message.
    bulk_create: Callable[[list[dict[str, Any]], Any], list[Any]] | None = None
    # ([(values, existing)] of changed rows, context) -> updated objects: the same for a batch of
    # updates (optional; the engine falls back to ``apply`` row by row as for ``bulk_create``).
    bulk_update: Callable[[list[tuple[dict[str, Any], Any]], Any], list[Any]] | None = None
    # The model the rows are written to: each column whose key is one of its fields gets that field's
    # limits in the dry run (length, choices, digits, validators; unique fields may not repeat in the
    # file nor clash with another record), so what the dry run accepts the commit can write.
    model: Any = None
    # Values written to a field of another name, or derived by ``validate``: value key → model field.
    fields: dict[str, str] = field(default_factory=dict)
    # Other tables (models or table names) a commit fills besides ``model`` and its history (the audit
    # events): with those, analysed after a commit of at least ANALYZE_MIN_ROWS rows (``kit.planner``).
    filled: tuple[Any, ...] = ()

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def key_columns(self) -> tuple[str, ...]:
        return (self.natural_key,) if isinstance(self.natural_key, str) else self.natural_key

    @property
    def filled_tables(self) -> tuple[Any, ...]:
        """The model, its simple-history model (if it keeps one) and ``filled``."""
        if self.model is None:
            return self.filled
        history = getattr(getattr(self.model, "history", None), "model", None)
        return (self.model, *((history,) if history is not None else ()), *self.filled)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)
