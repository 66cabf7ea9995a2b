"""Working days: the State Council's holidays and make-up workdays (the `chinesecalendar` package) where
it covers the year; otherwise Monday–Friday, corrected by a ``WorkdayCalendar`` the caller may pass (the
dates a 校级管理员 entered: ``recruitment.workdays.stored_calendar``). Each answer says whether the
Monday–Friday fallback was used, so that a page can say so.
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
    years: frozenset[int] = frozenset()  # years entered in full: no fallback warning for them

    @classmethod
    def of(
        cls, holidays: Collection[date] = (), workdays: Collection[date] = (), years: Collection[int] = ()
    ) -> WorkdayCalendar:
        return cls(frozenset(holidays), frozenset(workdays), frozenset(years))


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
        return day.weekday() < 5, day.year not in calendar.years


def package_covers(year: int) -> bool:
    import chinese_calendar

    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


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


def workdays_after(start: date, days: int, calendar: WorkdayCalendar | None = None) -> tuple[date, bool]:
    """The day on which ``days`` working days after ``start`` (not counted) are complete: a handling
    deadline. ``days`` of 0 or less answers ``start``."""
    if days < 1:
        return start, False
    return add_working_days(start + timedelta(days=1), days, calendar)
