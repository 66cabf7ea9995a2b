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


def stored_calendar(first_year: int, last_year: int) -> WorkdayCalendar:
    """The holidays a 校级管理员 entered (``HolidayYear``) for the years from ``first_year`` to
    ``last_year`` that the package does not cover (one query; none when it covers them all)."""
    years = [y for y in range(first_year, last_year + 1) if not package_covers(y)]
    if not years:
        return WorkdayCalendar()
    from dangjian.recruitment.models import Holiday

    rows = list(Holiday.objects.filter(year__year__in=years).values_list("year__year", "date", "is_workday"))
    return WorkdayCalendar.of(
        holidays=[d for _y, d, w in rows if not w],
        workdays=[d for _y, d, w in rows if w],
        years={y for y, _d, _w in rows} | _entered_empty_years(years, {y for y, _d, _w in rows}),
    )


def _entered_empty_years(years: list[int], with_days: set[int]) -> set[int]:
    """A year entered with no special days at all (rare) still counts as entered."""
    missing = [y for y in years if y not in with_days]
    if not missing:
        return set()
    from dangjian.recruitment.models import HolidayYear

    return set(HolidayYear.objects.filter(year__in=missing).values_list("year", flat=True))


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
