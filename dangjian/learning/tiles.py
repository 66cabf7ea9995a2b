"""The 工作台 tile of 党员学习: the person's study hours this year against the yearly requirement."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from dangjian.accounts.scope import Scope
from dangjian.learning.ledger import rules
from dangjian.learning.ledger.selectors import hours_and_cadre
from dangjian.policy import get_policy


@dataclass(frozen=True)
class YearHours:
    year: int
    hours: Decimal
    required: int
    cadre: bool  # a secretary or committee member: the higher requirement
    expected: Decimal  # what the straight line to the target asks by today
    behind: bool

    @property
    def met(self) -> bool:
        return self.hours >= self.required

    @property
    def percent(self) -> int:
        return min(100, int(self.hours * 100 / self.required)) if self.required else 100

    @property
    def missing(self) -> Decimal:
        return max(Decimal("0"), self.required - self.hours)


def year_hours(person_id: int, *, today: Any = None) -> YearHours:
    """One query: the ledger's sum for the calendar year, and whether the person holds a committee
    position (书记, 委员: the higher target)."""
    today = today or timezone.localdate()
    policy = get_policy()
    hours, cadre = hours_and_cadre(person_id, today)
    required = rules.yearly_target(policy, cadre=cadre)
    return YearHours(
        today.year,
        hours,
        required,
        cadre,
        rules.expected_by(required, today, policy.study_pace_share),
        rules.behind_pace(hours, required, today, policy.study_pace_share),
    )


def hours_tile(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    if scope.person_id is None:
        return None
    return {"hours": year_hours(scope.person_id)}
