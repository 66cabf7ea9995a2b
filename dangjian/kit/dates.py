"""Calendar arithmetic used by the Party rules (months, years) and the one "not in the future" check.

Months clamp to the month's end (31 January + 1 month = 28/29 February). Whole years follow one
convention for 29 February, ``policy.leap_day_anniversary`` ("mar1" by default): every year-based rule
— age 18, a year as activist, a year of probation, 党龄, terms — goes through :func:`add_years` and
:func:`whole_years_between`, so a rule and its message can never disagree.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.kit.errors import RuleViolation
from dangjian.policy import Policy, get_policy


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's end (2024-01-31 + 1 month -> 2024-02-29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int, policy: Policy | None = None) -> date:
    """The day on which ``years`` whole years from ``day`` are complete (the anniversary).

    From 29 February into a non-leap year: 1 March by default, 28 February where the school's
    policy says "feb28".
    """
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        convention = (policy or get_policy()).leap_day_anniversary
        return date(year, 3, 1) if convention == "mar1" else date(year, 2, 28)
    return day.replace(year=year)


def whole_years_between(start: date, end: date, policy: Policy | None = None) -> int:
    """Completed years from ``start`` to ``end`` (age, 党龄): the largest n, add_years(start, n) <= end."""
    years = end.year - start.year
    if add_years(start, years, policy) > end:
        years -= 1
    return years


def not_in_future(day: date | None, *, field: str, label: str, today: date | None = None) -> None:
    """Refuse a date of something that already happened (an application, a step, a payment, a receipt,
    a meeting held) that lies after today — a mistyped year or a way round a time rule."""
    if day is None:
        return
    today = today or timezone.localdate()
    if day > today:
        raise RuleViolation(
            _("%(label)s不能晚于今天(%(today)s)") % {"label": label, "today": today.isoformat()},
            code="date_in_future",
            field=field,
        )
