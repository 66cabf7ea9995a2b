"""The checks of a filled table, as pure functions of plain values: each cell against its field (required,
a number within its bounds, a choice among the options, a date), and the sum checks of a row. Every
failure names its cell — the row (the organization or the member) and the field's label — in Chinese.

A field is anything with the ``ReturnField`` attributes (``key``, ``label``, ``type``, ``required``,
``min_value``, ``max_value``, ``choices``, ``sum_of``); nothing here reads the database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.utils.translation import gettext as _

# Enough for any count or amount a table asks for; more digits are a typing slip.
MAX_DIGITS = 14
TEXT_MAX = 500


class FieldLike(Protocol):
    key: str
    label: str
    type: str
    required: bool
    min_value: Decimal | None
    max_value: Decimal | None
    choices: Any
    sum_of: Any


@dataclass(frozen=True)
class CellError:
    row: int  # the row's position, from 1
    key: str
    message: str


def cell_name(row_number: int, row_label: str, field_label: str) -> str:
    """“第 2 行（张三）“人数””: how a message names a cell."""
    return _("第 %(n)s 行（%(who)s）“%(field)s”") % {"n": row_number, "who": row_label, "field": field_label}


def parse_number(raw: str) -> Decimal | None:
    """The number typed (commas and spaces tolerated), or None when it is not one."""
    text = raw.replace(",", "").replace("，", "").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or len(value.as_tuple().digits) > MAX_DIGITS:
        return None
    return value


def number_text(value: Decimal) -> str:
    """A number as stored: no trailing zeros, no exponent."""
    normal = value.normalize()
    return format(normal.quantize(Decimal(1)) if normal == normal.to_integral() else normal, "f")


def cell_problem(field: FieldLike, raw: str, *, has_file: bool = False) -> str | None:
    """What is wrong with one cell's text (``None`` when it is fine)."""
    text = (raw or "").strip()
    if field.type == "file":
        if field.required and not has_file:
            return _("请上传文件")
        return None
    if not text:
        return _("必须填写") if field.required else None
    if field.type == "number":
        value = parse_number(text)
        if value is None:
            return _("应填写数字")
        low = field.min_value if field.min_value is not None else Decimal(0)
        if value < 0 and low >= 0:
            return _("不能为负数")
        if value < low:
            return _("不能小于 %(m)s") % {"m": number_text(low)}
        if field.max_value is not None and value > field.max_value:
            return _("不能大于 %(m)s") % {"m": number_text(field.max_value)}
        return None
    if field.type == "date":
        try:
            date.fromisoformat(text)
        except ValueError:
            return _("应填写日期（如 2026-01-31）")
        return None
    if field.type == "choice":
        if text not in [str(c) for c in field.choices or []]:
            return _("应从选项中选择")
        return None
    if len(text) > TEXT_MAX:
        return _("不能超过 %(n)s 个字") % {"n": TEXT_MAX}
    return None


def row_errors(
    fields: Sequence[FieldLike],
    values: Mapping[str, str],
    *,
    row_number: int,
    row_label: str,
    files: frozenset[str] = frozenset(),
) -> list[CellError]:
    """Every failing cell of one row, then its sum checks (only when the cells involved are numbers)."""
    errors: list[CellError] = []
    for field in fields:
        problem = cell_problem(field, values.get(field.key, ""), has_file=field.key in files)
        if problem:
            errors.append(
                CellError(row_number, field.key, cell_name(row_number, row_label, field.label) + problem)
            )
    failed = {e.key for e in errors}
    by_key = {f.key: f for f in fields}
    for field in fields:
        parts = [k for k in (field.sum_of or []) if k in by_key]
        if field.type != "number" or not parts or field.key in failed or failed & set(parts):
            continue
        own = parse_number(values.get(field.key, "") or "0") or Decimal(0)
        total = sum((parse_number(values.get(k, "") or "0") or Decimal(0) for k in parts), Decimal(0))
        if own != total:
            names = "、".join(f"“{by_key[k].label}”" for k in parts)
            errors.append(
                CellError(
                    row_number,
                    field.key,
                    cell_name(row_number, row_label, field.label)
                    + _("应等于%(parts)s之和 %(total)s，现为 %(own)s")
                    % {"parts": names, "total": number_text(total), "own": number_text(own)},
                )
            )
    return errors


def deadline_problem(deadline: date | None, today: date) -> str | None:
    if deadline is None:
        return _("请填写截止日期")
    if deadline < today:
        return _("截止日期不能早于今天")
    return None


def is_late(submitted_on: date, deadline: date | None) -> bool:
    """Submitted after the deadline day (the deadline day itself is on time)."""
    return deadline is not None and submitted_on > deadline
