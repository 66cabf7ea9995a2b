"""The 工作台 tile of 党员学习: the person's study hours this year against the yearly requirement."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from dangjian.accounts.scope import Scope
from dangjian.core.models import Position
from dangjian.learning.selectors import study_hours
from dangjian.policy import get_policy


@dataclass(frozen=True)
class YearHours:
    year: int
    hours: Decimal
    required: int
    cadre: bool  # a secretary or committee member: the higher requirement

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
    """Two queries: the ledger's sum for the calendar year, and whether the person holds a position."""
    today = today or timezone.localdate()
    policy = get_policy()
    cadre = (
        Position.objects.filter(person_id=person_id, started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .exists()
    )
    required = policy.study_cadre_hours_per_year if cadre else policy.study_member_hours_per_year
    return YearHours(today.year, study_hours(person_id, year=today.year), required, cadre)


def hours_tile(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    if scope.person_id is None:
        return None
    return {"hours": year_hours(scope.person_id)}
