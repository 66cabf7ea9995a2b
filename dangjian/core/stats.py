"""Statistical categories of the Party's internal statistics (DOMAIN.md §7), as pure functions."""

from __future__ import annotations

from datetime import date, timedelta

from dangjian.kit.dates import add_years

# Age bands of the annual statistics: ≤30, 31–35, …, 56–60, ≥61 (党内统计).
AGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("≤30", None, 30),
    ("31–35", 31, 35),
    ("36–40", 36, 40),
    ("41–45", 41, 45),
    ("46–50", 46, 50),
    ("51–55", 51, 55),
    ("56–60", 56, 60),
    ("≥61", 61, None),
)


def latest_birth_for_age(on: date, age: int) -> date:
    """The last birth date of someone at least ``age`` whole years old on ``on``: the largest ``b`` with
    ``add_years(b, age) <= on`` — the inverse of the one anniversary rule, so a band and an age computed
    with ``whole_years_between`` agree for people born on 29 February and on days counted on 29 February.
    """
    year = on.year - age
    day = on.replace(year=year) if not (on.month == 2 and on.day == 29) else date(year, 2, 28)
    # At most a day or two off around 29 February (and the school's convention): step to the boundary.
    while add_years(day + timedelta(days=1), age) <= on:
        day += timedelta(days=1)
    while add_years(day, age) > on:
        day -= timedelta(days=1)
    return day


def birth_range(min_age: int | None, max_age: int | None, on: date) -> tuple[date | None, date | None]:
    """Birth dates of people whose age on ``on`` (``whole_years_between``) lies in [min_age, max_age]:
    (born_after, born_on_or_before); None where open."""
    born_on_or_before = latest_birth_for_age(on, min_age) if min_age is not None else None
    born_after = latest_birth_for_age(on, max_age + 1) if max_age is not None else None
    return born_after, born_on_or_before
