"""Cell values as people type them into Excel: full-width digits, stray spaces, dates in many forms."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _

_EXCEL_EPOCH = date(1899, 12, 30)
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


class CellError(ValueError):
    """A value that cannot be read; the message is shown to the person who uploaded the file."""


def text(value: Any) -> str:
    """Normalise to text: NFKC (full-width digits and letters become half-width), trimmed, None → ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a staff number typed as a number comes back as 2021001.0
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel serial day numbers (1900 date system)
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise CellError(_("日期无效"))
    raw = text(value).replace(" ", "")
    for pattern in _DATE_PATTERNS:
        match = pattern.match(raw)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                raise CellError(_("日期“%(v)s”不存在") % {"v": raw}) from None
    raise CellError(_("无法识别日期“%(v)s”，请写成 2026-01-05") % {"v": raw})
