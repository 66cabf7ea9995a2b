from datetime import date

import pytest

from dangjian.core.dates import add_months, add_years, whole_years_between


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 10), -6, date(2025, 7, 10)),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected) -> None:
    assert add_months(start, months) == expected


def test_add_years_on_leap_day() -> None:
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (date(2020, 6, 1), date(2021, 5, 31), 0),
        (date(2020, 6, 1), date(2021, 6, 1), 1),
        (date(2000, 2, 29), date(2018, 2, 28), 17),
        (date(2000, 2, 29), date(2018, 3, 1), 18),
    ],
)
def test_whole_years_between(start, end, years) -> None:
    assert whole_years_between(start, end) == years
