"""What each kind of request asks for (the form's fields and the API's ``details``), and their checks.

One table serves the pages (a form per kind is built from it) and the API (the same keys in JSON); the
cleaned values are stored as text in ``Request.details``, dates as ISO, money with two decimals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.kit.errors import RuleViolation
from dangjian.onestop.rules import RequestKind

TEXT, LONG_TEXT, DATE, MONEY, NUMBER = "text", "long_text", "date", "money", "number"
MAX_TEXT = 100
MAX_LONG_TEXT = 1000
MAX_MONEY = Decimal("1000000")


@dataclass(frozen=True)
class DetailField:
    name: str
    label: Any  # a lazy translation
    type: str = TEXT
    required: bool = True


_PURPOSE = DetailField("purpose", gettext_lazy("用途"), TEXT)
_NOTE = DetailField("note", gettext_lazy("备注"), LONG_TEXT, required=False)

FIELDS: dict[str, tuple[DetailField, ...]] = {
    RequestKind.LONG_LEAVE: (
        DetailField("start_on", gettext_lazy("请假开始日期"), DATE),
        DetailField("end_on", gettext_lazy("请假结束日期"), DATE),
        DetailField("reason", gettext_lazy("请假事由"), LONG_TEXT),
    ),
    RequestKind.FLOWING: (
        DetailField("destination", gettext_lazy("流入地（单位或地区）"), TEXT),
        DetailField("start_on", gettext_lazy("外出日期"), DATE),
        DetailField("contact", gettext_lazy("外出期间联系方式"), TEXT),
        DetailField("reason", gettext_lazy("外出事由"), LONG_TEXT),
    ),
    RequestKind.FUNDS: (
        DetailField("amount", gettext_lazy("申请金额（元）"), MONEY),
        DetailField("activity", gettext_lazy("活动名称"), TEXT),
        DetailField("budget", gettext_lazy("经费用途说明"), LONG_TEXT),
    ),
    RequestKind.VENUE: (
        DetailField("on", gettext_lazy("使用日期"), DATE),
        DetailField("activity", gettext_lazy("活动名称"), TEXT),
        DetailField("attendees", gettext_lazy("参加人数"), NUMBER),
        _NOTE,
    ),
    RequestKind.SPEAKER: (
        DetailField("topic", gettext_lazy("讲座或党课主题"), TEXT),
        DetailField("on", gettext_lazy("拟安排日期"), DATE),
        DetailField("audience", gettext_lazy("听课对象"), TEXT),
        _NOTE,
    ),
    RequestKind.PROOF_MEMBERSHIP: (_PURPOSE,),
    RequestKind.PROOF_PARTY_AGE: (_PURPOSE,),
    RequestKind.PROOF_RELATION: (_PURPOSE,),
}


def _clean_one(spec: DetailField, value: str) -> str:
    if spec.type == DATE:
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise RuleViolation(
                _("%(label)s应为日期（YYYY-MM-DD）。") % {"label": spec.label}, field=spec.name
            ) from None
    if spec.type == MONEY:
        try:
            amount = Decimal(value).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            raise RuleViolation(_("%(label)s应为金额。") % {"label": spec.label}, field=spec.name) from None
        if not Decimal("0") < amount <= MAX_MONEY:
            raise RuleViolation(
                _("%(label)s应大于 0 且不超过 %(max)s 元。") % {"label": spec.label, "max": MAX_MONEY},
                field=spec.name,
            )
        return str(amount)
    if spec.type == NUMBER:
        if not value.isdigit() or not 0 < int(value) <= 100000:
            raise RuleViolation(_("%(label)s应为正整数。") % {"label": spec.label}, field=spec.name)
        return str(int(value))
    limit = MAX_LONG_TEXT if spec.type == LONG_TEXT else MAX_TEXT
    if len(value) > limit:
        raise RuleViolation(
            _("%(label)s不能超过 %(n)s 字。") % {"label": spec.label, "n": limit}, field=spec.name
        )
    return value


def clean_details(kind: str, raw: Mapping[str, Any]) -> dict[str, str]:
    """The details of a ``kind`` request, checked: required fields present, types right; unknown keys
    dropped. Raises a Chinese ``RuleViolation`` naming the field."""
    cleaned: dict[str, str] = {}
    for spec in FIELDS.get(kind, ()):
        value = raw.get(spec.name)
        text = "" if value is None else str(value).strip()
        if not text:
            if spec.required:
                raise RuleViolation(_("请填写%(label)s。") % {"label": spec.label}, field=spec.name)
            continue
        cleaned[spec.name] = _clean_one(spec, text)
    if "start_on" in cleaned and "end_on" in cleaned and cleaned["end_on"] < cleaned["start_on"]:
        raise RuleViolation(_("请假结束日期不能早于开始日期。"), field="end_on")
    return cleaned


def labelled(kind: str, details: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The details as (label, value) rows, in the table's order, for the pages."""
    return [(str(f.label), str(details[f.name])) for f in FIELDS.get(kind, ()) if details.get(f.name)]
