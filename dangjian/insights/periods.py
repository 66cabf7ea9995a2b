"""Periods of the indices: a month, a quarter or a year, named as people write them ("2026-11",
"2026Q4", "2026") and parsed with a Chinese error."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from dangjian.insights.models import PeriodKind
from dangjian.kit.dates import add_months
from dangjian.kit.errors import RuleViolation

_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}


@dataclass(frozen=True)
class Period:
    kind: str
    start: date

    @property
    def end(self) -> date:
        return add_months(self.start, _MONTHS[PeriodKind(self.kind)]) - timedelta(days=1)

    @property
    def code(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return f"{self.start.year}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return _("%(y)d年") % {"y": self.start.year}
        if self.kind == PeriodKind.QUARTER:
            return _("%(y)d年第%(q)d季度") % {"y": self.start.year, "q": (self.start.month - 1) // 3 + 1}
        return _("%(y)d年%(m)d月") % {"y": self.start.year, "m": self.start.month}

    def previous(self) -> Period:
        return Period(self.kind, add_months(self.start, -_MONTHS[PeriodKind(self.kind)]))


def containing(kind: str, day: date) -> Period:
    """The period of ``kind`` that holds ``day``."""
    if kind == PeriodKind.YEAR:
        return Period(kind, date(day.year, 1, 1))
    if kind == PeriodKind.QUARTER:
        return Period(kind, date(day.year, (day.month - 1) // 3 * 3 + 1, 1))
    return Period(PeriodKind.MONTH, day.replace(day=1))


def parse(text: str) -> Period:
    """ "2026" → the year, "2026Q4" → the quarter, "2026-11" → the month; anything else is refused."""
    text = (text or "").strip().upper()
    if m := re.fullmatch(r"(\d{4})", text):
        return Period(PeriodKind.YEAR, date(int(m[1]), 1, 1))
    if m := re.fullmatch(r"(\d{4})Q([1-4])", text):
        return Period(PeriodKind.QUARTER, date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1))
    if (m := re.fullmatch(r"(\d{4})-(\d{1,2})", text)) and 1 <= int(m[2]) <= 12:
        return Period(PeriodKind.MONTH, date(int(m[1]), int(m[2]), 1))
    raise RuleViolation(_("统计周期“%(p)s”无法识别：请写成 2026、2026Q4 或 2026-11。") % {"p": text})


def closed_before(kind: str, day: date) -> Period:
    """The last period of ``kind`` that ended before ``day`` (the one the nightly run settles)."""
    return containing(kind, day).previous()
