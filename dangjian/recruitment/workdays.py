"""Working days for 公示 and similar periods: the State Council's holidays and make-up workdays (the
`chinesecalendar` package) where it covers the year; otherwise Monday–Friday, corrected by the dates a
校级管理员 entered for that year. The caller learns whether the fallback was used, to say so on the page.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class WorkdayCalendar:
    """Extra knowledge for years the package does not cover: holidays and make-up workdays."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    @classmethod
    def of(cls, holidays: Collection[date] = (), workdays: Collection[date] = ()) -> WorkdayCalendar:
        return cls(frozenset(holidays), frozenset(workdays))


def is_workday(day: date, calendar: WorkdayCalendar | None = None) -> tuple[bool, bool]:
    """(is it a working day, was the Monday–Friday fallback used)."""
    calendar = calendar or WorkdayCalendar()
    if day in calendar.workdays:
        return True, False
    if day in calendar.holidays:
        return False, False
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day)), False
    except NotImplementedError:
        return day.weekday() < 5, True


def working_days_between(start: date, end: date, calendar: WorkdayCalendar | None = None) -> tuple[int, bool]:
    """Working days from ``start`` to ``end``, both included; and whether any day used the fallback."""
    count, fallback, day = 0, False, start
    while day <= end:
        working, used = is_workday(day, calendar)
        count += working
        fallback = fallback or used
        day += timedelta(days=1)
    return count, fallback


def add_working_days(start: date, days: int, calendar: WorkdayCalendar | None = None) -> tuple[date, bool]:
    """The date on which ``days`` working days counted from ``start`` (included) are complete."""
    if days < 1:
        raise ValueError("days must be at least 1")
    count, fallback, day = 0, False, start
    while True:
        working, used = is_workday(day, calendar)
        fallback = fallback or used
        if working:
            count += 1
            if count == days:
                return day, fallback
        day += timedelta(days=1)
