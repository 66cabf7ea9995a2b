"""The demo's indices: the month, quarter and year of the demo's today, and the quarter before (so the
pages compare with last period), computed from the other modules' demo data."""

from __future__ import annotations

from django.utils import timezone

from dangjian.accounts.scope import Scope
from dangjian.insights.indices.services import indices_compute
from dangjian.insights.models import PeriodKind
from dangjian.insights.periods import containing


def seed_indices(seed: int) -> dict[str, int]:
    today = timezone.localdate()
    quarter = containing(PeriodKind.QUARTER, today)
    periods = [
        containing(PeriodKind.MONTH, today),
        quarter,
        quarter.previous(),
        containing(PeriodKind.YEAR, today),
    ]
    scores = 0
    for period in periods:
        scores += indices_compute(actor=None, scope=Scope.system(), period=period, today=today).scores
    return {"index_scores": scores}
