"""The rules of the yearly study hours as pure functions (DOMAIN §6; the numbers are in ``policy``)."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dangjian.policy import Policy

TENTH = Decimal("0.1")


def yearly_target(policy: Policy, *, cadre: bool) -> int:
    """32 class hours a year for a member, 56 for a secretary or committee member (policy settings)."""
    return policy.study_cadre_hours_per_year if cadre else policy.study_member_hours_per_year


def expected_by(target: int, on: date, share: float = 1.0) -> Decimal:
    """The hours a person should have by the end of ``on`` to reach ``target`` by 31 December on a
    straight line (times ``share``), to one decimal: 0 before the year starts, the target on 31 December."""
    days = 366 if calendar.isleap(on.year) else 365
    elapsed = on.timetuple().tm_yday
    value = Decimal(target) * Decimal(elapsed) / Decimal(days) * Decimal(str(share))
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def behind_pace(hours: Decimal, target: int, on: date, share: float = 1.0) -> bool:
    """Below the straight line to the target on ``on`` (a person who has met the target never is)."""
    if hours >= target:
        return False
    return hours < expected_by(target, on, share)


def percent(hours: Decimal, target: int) -> int:
    """Progress toward the target, 0–100 (whole percent, rounded down)."""
    if target <= 0:
        return 100
    return max(0, min(100, int(hours * 100 / target)))
