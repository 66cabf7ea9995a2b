from datetime import date

import pytest

from dangjian.kit.dates import add_months, add_years, whole_years_between


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


@pytest.mark.parametrize(
    ("convention", "start", "years", "expected"),
    [
        ("mar1", date(2024, 2, 29), 3, date(2027, 3, 1)),
        ("mar1", date(2024, 2, 29), 4, date(2028, 2, 29)),
        ("mar1", date(2008, 2, 29), 18, date(2026, 3, 1)),
        ("feb28", date(2024, 2, 29), 3, date(2027, 2, 28)),
        ("feb28", date(2008, 2, 29), 18, date(2026, 2, 28)),
        ("feb28", date(2024, 2, 29), 4, date(2028, 2, 29)),
        ("mar1", date(2024, 2, 28), 1, date(2025, 2, 28)),
        ("mar1", date(2024, 3, 1), 1, date(2025, 3, 1)),
    ],
)
def test_add_years_from_leap_day_follows_the_policy(settings, convention, start, years, expected) -> None:
    settings.DANGJIAN_POLICY = {"leap_day_anniversary": convention}
    assert add_years(start, years) == expected


@pytest.mark.parametrize(
    ("convention", "on", "age"),
    [
        ("mar1", date(2026, 2, 28), 17),
        ("mar1", date(2026, 3, 1), 18),
        ("feb28", date(2026, 2, 27), 17),
        ("feb28", date(2026, 2, 28), 18),
        ("mar1", date(2028, 2, 28), 19),
        ("mar1", date(2028, 2, 29), 20),
    ],
)
def test_age_of_a_leap_day_birth_agrees_with_the_anniversary(settings, convention, on, age) -> None:
    settings.DANGJIAN_POLICY = {"leap_day_anniversary": convention}
    birth = date(2008, 2, 29)
    assert whole_years_between(birth, on) == age
    # the rule and its message agree: the anniversary of the age is the first day of that age
    assert add_years(birth, age) <= on < add_years(birth, age + 1)


def test_unknown_leap_day_convention_is_refused(settings) -> None:
    from dangjian.policy import get_policy

    settings.DANGJIAN_POLICY = {"leap_day_anniversary": "feb29"}
    with pytest.raises(ValueError):
        get_policy()


def test_not_in_future_refuses_tomorrow_with_the_field() -> None:
    from dangjian.kit.dates import not_in_future
    from dangjian.kit.errors import RuleViolation

    today = date(2026, 11, 29)
    not_in_future(today, field="applied_on", label="申请日期", today=today)
    not_in_future(None, field="applied_on", label="申请日期", today=today)
    with pytest.raises(RuleViolation) as exc:
        not_in_future(date(2026, 11, 30), field="applied_on", label="申请日期", today=today)
    assert exc.value.field == "applied_on"
    assert "不能晚于今天" in exc.value.message


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (date(2020, 6, 1), date(2021, 5, 31), 0),
        (date(2020, 6, 1), date(2021, 6, 1), 1),
        (date(2000, 2, 29), date(2018, 2, 28), 17),
        (date(2000, 2, 29), date(2018, 3, 1), 18),
        (date(2000, 2, 29), date(2020, 2, 28), 19),
        (date(2000, 2, 29), date(2020, 2, 29), 20),
    ],
)
def test_whole_years_between(start, end, years) -> None:
    assert whole_years_between(start, end) == years
