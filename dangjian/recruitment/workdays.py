"""The holidays a 校级管理员 entered for years the `chinesecalendar` package does not cover, as a
``kit.workdays.WorkdayCalendar`` for 公示 and similar periods."""

from __future__ import annotations

from dangjian.kit.workdays import WorkdayCalendar, package_covers


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
