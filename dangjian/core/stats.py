"""Statistical categories of the Party's internal statistics (DOMAIN.md §7), as pure functions."""

from __future__ import annotations

from datetime import date

from dangjian.core.dates import add_years

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


def birth_range(min_age: int | None, max_age: int | None, on: date) -> tuple[date | None, date | None]:
    """Birth dates (inclusive, exclusive-after) of people whose age on ``on`` lies in [min_age, max_age].

    Someone is ``a`` years old on ``on`` when born in (on - (a+1) years, on - a years].
    Returns (born_after, born_on_or_before) bounds; None where open.
    """
    born_on_or_before = add_years(on, -min_age) if min_age is not None else None
    born_after = add_years(on, -(max_age + 1)) if max_age is not None else None
    return born_after, born_on_or_before
