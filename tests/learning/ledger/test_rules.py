"""The yearly study-hour rules (DOMAIN §6): targets from policy, the straight-line pace, progress."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangjian.learning.ledger import rules
from dangjian.policy import Policy, get_policy


def test_targets_come_from_policy(settings) -> None:
    assert rules.yearly_target(Policy(), cadre=False) == 32
    assert rules.yearly_target(Policy(), cadre=True) == 56
    settings.DANGJIAN_POLICY = {"study_cadre_hours_per_year": 48}
    assert rules.yearly_target(get_policy(), cadre=True) == 48


@pytest.mark.parametrize(
    ("target", "on", "expected"),
    [
        (32, date(2026, 1, 1), Decimal("0.1")),  # day 1 of 365
        (32, date(2026, 7, 2), Decimal("16.0")),  # day 183: half the year
        (32, date(2026, 12, 30), Decimal("31.9")),
        (32, date(2026, 12, 31), Decimal("32.0")),
        (56, date(2026, 12, 31), Decimal("56.0")),
        (32, date(2028, 12, 31), Decimal("32.0")),  # a leap year ends on day 366
        (32, date(2028, 2, 29), Decimal("5.2")),
    ],
)
def test_the_pace_is_a_straight_line_to_31_december(target: int, on: date, expected: Decimal) -> None:
    assert rules.expected_by(target, on) == expected


@pytest.mark.parametrize(
    ("hours", "on", "behind"),
    [
        ("15.9", date(2026, 7, 2), True),
        ("16", date(2026, 7, 2), False),
        ("31.9", date(2026, 12, 31), True),
        ("32", date(2026, 12, 31), False),
        ("40", date(2026, 12, 31), False),
        ("0", date(2026, 1, 1), True),
    ],
)
def test_behind_pace_below_the_line(hours: str, on: date, behind: bool) -> None:
    assert rules.behind_pace(Decimal(hours), 32, on) is behind


def test_a_share_below_one_gives_slack() -> None:
    assert rules.behind_pace(Decimal("12"), 32, date(2026, 7, 2), share=0.75) is False
    assert rules.behind_pace(Decimal("11.9"), 32, date(2026, 7, 2), share=0.75) is True


@pytest.mark.parametrize(
    ("hours", "percent"), [("0", 0), ("16", 50), ("31.9", 99), ("32", 100), ("64", 100), ("-1", 0)]
)
def test_progress_percent(hours: str, percent: int) -> None:
    assert rules.percent(Decimal(hours), 32) == percent
