"""Dry run and commit of an import; template and error-sheet files."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from dangjian.kit.dates import not_in_future
from dangjian.kit.errors import DomainError
from dangjian.kit.planner import analyze
from dangjian.kit.xlsx import text_row
from dangjian.spreadsheets.cells import CellError
from dangjian.spreadsheets.limits import field_limits, taken_values, unique_limits
from dangjian.spreadsheets.reader import Sheet
from dangjian.spreadsheets.spec import ImportSpec, RowOutcome

Progress = Callable[[int, int], None]


def dry_run(
    spec: ImportSpec, sheet: Sheet, context: Any, progress: Progress | None = None
) -> list[RowOutcome]:
    """Check every row as the forms would, without writing: new / updated / unchanged / error.

    Besides the spec's own rules it applies the model's limits (see ``limits``), refuses formula cells
    and dates of events after today, so every row it accepts the commit can write."""
    limits = field_limits(spec)
    column_limits = {limit.key: limit for limit in limits if limit.is_column}
    uniques = unique_limits(spec)
    today = timezone.localdate()
    outcomes: list[RowOutcome] = []
    # The natural key, and every other column that must be unique, may not repeat inside one file.
    unique_sets = [
        spec.key_columns,
        *((c,) for c in spec.unique_columns),
        *((u.key,) for u in uniques if u.is_column and u.key not in spec.unique_columns),
    ]
    seen: list[dict[tuple[Any, ...], int]] = [{} for _set in unique_sets]
    for index, raw in enumerate(sheet.rows):
        outcome = RowOutcome(row=index + 2)
        for position, (column, cell) in enumerate(zip(spec.columns, raw, strict=False)):
            if (outcome.row, position) in sheet.formulas:
                outcome.errors.append(_("%(h)s: 不能是公式") % {"h": column.header})
                continue
            try:
                value = outcome.values[column.key] = column.clean(cell)
                if column.happened and isinstance(value, date):
                    not_in_future(value, field=column.key, label="", today=today)
            except CellError as exc:
                outcome.errors.append(f"{column.header}: {exc}")
                continue
            except DomainError as exc:
                outcome.errors.append(f"{column.header}: {exc.message}")
                continue
            limit = column_limits.get(column.key)
            problem = limit.text_problem(value) if limit else ""
            if problem:
                outcome.errors.append(f"{column.header}: {problem}")
        for columns, first_rows in zip(unique_sets, seen, strict=True):
            key = tuple(str(outcome.values.get(k) or "").upper() for k in columns)
            if not all(key):
                continue
            if key in first_rows:
                header = "、".join(spec.column(k).header for k in columns)
                outcome.errors.append(_("%(h)s: 与第 %(n)s 行重复") % {"h": header, "n": first_rows[key]})
            else:
                first_rows[key] = outcome.row
        outcomes.append(outcome)
    if spec.prefetch is not None:  # one look-up per batch of keys instead of one per row
        spec.prefetch([o.values for o in outcomes if not o.errors], context)
    known_keys = {c.key for c in spec.columns}
    taken = {
        u.key: taken_values(spec, u, (o.values.get(u.key) for o in outcomes if not o.errors)) for u in uniques
    }
    for index, outcome in enumerate(outcomes):
        values = outcome.values
        if not outcome.errors:
            for field_key, message in spec.validate(values, context).items():
                header = spec.column(field_key).header if field_key in known_keys else ""
                outcome.errors.append(f"{header}: {message}" if header else message)
        if not outcome.errors:
            for limit in limits:
                problem = limit.typed_problem(values.get(limit.key))
                if problem:
                    outcome.errors.append(f"{limit.header}: {problem}")
        if not outcome.errors:
            existing, problem = spec.find(values, context)
            if problem:
                outcome.errors.append(problem)
            for u in uniques:
                holder = taken[u.key].get(values.get(u.key), None)
                if holder is not None and holder != getattr(existing, "pk", None):
                    outcome.errors.append(
                        _("%(h)s: “%(v)s”已被其他记录使用") % {"h": u.header, "v": values[u.key]}
                    )
            if not outcome.errors:
                outcome.target = existing
                outcome.status = (
                    "new"
                    if existing is None
                    else ("unchanged" if spec.unchanged(values, existing) else "updated")
                )
        if progress and index % 500 == 0:
            progress(index, len(outcomes))
    return outcomes


def plan_digest(outcomes: list[RowOutcome]) -> str:
    """A fingerprint of what a dry run decided for each row: the commit writes only when it is the same
    plan the person saw (nothing changed in between)."""
    digest = hashlib.sha256()
    for outcome in outcomes:
        digest.update(f"{outcome.row}:{outcome.status};".encode())
    return digest.hexdigest()


class ImportAborted(Exception):
    """A row the dry run accepted was refused while writing: everything written so far is rolled back."""

    def __init__(self, outcome: RowOutcome, message: str) -> None:
        super().__init__(message)
        outcome.status, outcome.errors = "error", [message]
        self.outcome = outcome
        self.message = message

    @property
    def line(self) -> str:
        return _("第 %(n)s 行 %(m)s") % {"n": self.outcome.row, "m": self.message}


def commit_limit() -> int:
    """The most rows one all-or-nothing commit writes (``IMPORT_COMMIT_MAX_ROWS``): its one transaction
    must stay short, or SQLite writers wait on it ("database is locked") and PostgreSQL piles up the
    services' subtransactions."""
    return int(getattr(settings, "IMPORT_COMMIT_MAX_ROWS", 20_000))


def commit_refusal(outcomes: list[RowOutcome]) -> str:
    """Why a file cannot be committed as a whole ("" when it can): more rows to write than one commit
    takes. Said once, by the dry run and again by the commit, instead of as a message on each row."""
    limit = commit_limit()
    writing = sum(1 for o in outcomes if o.status in ("new", "updated"))
    if writing <= limit:
        return ""
    return _(
        "本文件有 %(n)s 行要写入，超过单次导入的上限 %(max)s 行："
        "请把文件拆分成每份不超过 %(max)s 行后分别导入。"
    ) % {"n": writing, "max": limit}


def commit(
    spec: ImportSpec,
    outcomes: list[RowOutcome],
    context: Any,
    *,
    batch: int | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write the rows a dry run accepted (new or updated) — all of them in one transaction, or none.

    Rows go in batches (the spec's bulk paths for new and for updated rows). A row refused on the way —
    by a service, or by the database (too long, a clash with a record created since the dry run) —
    raises ImportAborted with that row's Chinese message, and nothing of the import is written. The
    callers keep a file to ``commit_limit()`` rows (``commit_refusal``) so the one transaction stays
    short. ``progress`` runs
    inside the transaction: it may cancel (raise), but should not write. A commit that wrote at least
    ANALYZE_MIN_ROWS rows analyses the tables it filled once it is committed (``spec.filled_tables``)."""
    batch = batch or int(getattr(settings, "IMPORT_BATCH_SIZE", 500))
    todo = [o for o in outcomes if o.status in ("new", "updated")]
    counts = {"new": 0, "updated": 0, "failed": 0}
    with transaction.atomic():
        for start in range(0, len(todo), batch):
            creations: list[RowOutcome] = []
            updates: list[tuple[RowOutcome, Any]] = []
            for outcome in todo[start : start + batch]:
                existing, problem = spec.find(outcome.values, context)
                if problem:
                    raise ImportAborted(outcome, problem)
                if (existing is None) != (outcome.status == "new"):
                    raise ImportAborted(outcome, _("该记录在预检之后已被他人登记或删除，请重新上传预检"))
                if existing is not None and spec.unchanged(outcome.values, existing):
                    continue
                if existing is None and spec.bulk_create is not None:
                    creations.append(outcome)
                    continue
                if existing is not None and spec.bulk_update is not None:
                    updates.append((outcome, existing))
                    continue
                _apply_one(spec, outcome, existing, context, counts)
            if updates:
                _update_many(spec, updates, context, counts)
            if creations:
                _create_many(spec, creations, context, counts)
            if progress:
                progress(min(start + batch, len(todo)), len(todo))
    if spec.filled_tables:  # deferred to the commit of the caller's transaction, if there is one
        analyze(*spec.filled_tables, rows=counts["new"] + counts["updated"])
    return counts


# What a row's values can make the database refuse; anything else (a lost connection) fails the job,
# which can be retried: nothing was written.
_ROW_ERRORS = (ValidationError, DomainError, DataError, IntegrityError)


def _apply_one(
    spec: ImportSpec, outcome: RowOutcome, existing: Any, context: Any, counts: dict[str, int]
) -> None:
    # No savepoint of its own: a refused row aborts the whole commit, so nothing is rolled back to
    # here. After a database error (which on PostgreSQL leaves the transaction unusable) no query runs
    # before the commit's transaction is rolled back: the message is built from the exception alone.
    try:
        spec.apply(outcome.values, existing, context)
    except _ROW_ERRORS as exc:
        raise ImportAborted(outcome, row_message(exc)) from None
    counts["new" if existing is None else "updated"] += 1


def _create_many(spec: ImportSpec, outcomes: list[RowOutcome], context: Any, counts: dict[str, int]) -> None:
    """The spec's bulk path for a batch of new rows; row by row when it is refused, to name the row
    (the batch's savepoint lets the transaction go on after the database refused the batch)."""
    assert spec.bulk_create is not None
    try:
        with transaction.atomic():
            spec.bulk_create([o.values for o in outcomes], context)
    except _ROW_ERRORS:
        for outcome in outcomes:
            _apply_one(spec, outcome, None, context, counts)
        return
    counts["new"] += len(outcomes)


def _update_many(
    spec: ImportSpec, pairs: list[tuple[RowOutcome, Any]], context: Any, counts: dict[str, int]
) -> None:
    """The spec's bulk path for a batch of updated rows; row by row when it is refused, as for
    ``_create_many``."""
    assert spec.bulk_update is not None
    try:
        with transaction.atomic():
            spec.bulk_update([(o.values, existing) for o, existing in pairs], context)
    except _ROW_ERRORS:
        for outcome, existing in pairs:
            _apply_one(spec, outcome, existing, context, counts)
        return
    counts["updated"] += len(pairs)


def row_message(exc: Exception) -> str:
    """A Chinese message for a row refused while writing; never the database's own text."""
    if isinstance(exc, DomainError):
        return exc.message
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    if isinstance(exc, IntegrityError):
        return _("与已有记录冲突(可能在预检之后被他人登记)，请核对后重新上传预检")
    if isinstance(exc, DataError):
        return _("有内容超出允许的长度或范围，请核对后重新上传预检")
    return _("无法写入，请核对后重新上传预检")


def row_error_lines(outcomes: list[RowOutcome]) -> list[str]:
    return [
        _("第 %(n)s 行 %(m)s") % {"n": o.row, "m": message}
        for o in outcomes
        if o.errors
        for message in o.errors
    ]


Warnings = Callable[[dict[str, Any]], list[str]]


def row_warning_lines(outcomes: list[RowOutcome], warnings: Warnings | None) -> list[str]:
    """The rules a row without errors did not meet (``warnings(values)``): reported, never blocking."""
    if warnings is None:
        return []
    return [
        _("第 %(n)s 行 提醒：%(m)s") % {"n": o.row, "m": message}
        for o in outcomes
        if not o.errors
        for message in warnings(o.values)
    ]


def template_workbook(spec: ImportSpec) -> bytes:
    """The .xlsx template: headers, an example row, drop-down lists for choices, and instructions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = spec.name
    sheet.append(spec.headers)
    sheet.append([c.example for c in spec.columns])
    bold = Font(bold=True)
    for i, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=1, column=i)
        cell.font = bold
        if column.required:
            cell.fill = PatternFill("solid", fgColor="FDE2E2")
        sheet.column_dimensions[cell.column_letter].width = max(12, len(column.header) * 2 + 4)
        if column.kind == "choice":
            validation = DataValidation(
                type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True
            )
            validation.error = f"请从列表中选择{column.header}"
            sheet.add_data_validation(validation)
            validation.add(f"{cell.column_letter}2:{cell.column_letter}100000")
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "必填", "说明"])
    for column in spec.columns:
        notes.append([column.header, "是" if column.required else "", column.help])
    for line in spec.instructions:
        notes.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def error_workbook(
    spec: ImportSpec, sheet: Sheet, outcomes: list[RowOutcome], warnings: Warnings | None = None
) -> bytes:
    """The uploaded rows with a 处理结果 and a 错误 column (and 提醒, for a kind whose rows may warn),
    written in write-only mode."""
    workbook = Workbook(write_only=True)
    out = workbook.create_sheet(spec.name)
    out.append([*spec.headers, "处理结果", "错误", *(["提醒"] if warnings else [])])
    labels = {"new": "新增", "updated": "更新", "unchanged": "无变化", "error": "错误"}
    for raw, outcome in zip(sheet.rows, outcomes, strict=True):
        cells = [*("" if v is None else v for v in raw), labels[outcome.status], "；".join(outcome.errors)]
        if warnings:
            cells.append("" if outcome.errors else "；".join(warnings(outcome.values)))
        out.append(text_row(out, cells))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
