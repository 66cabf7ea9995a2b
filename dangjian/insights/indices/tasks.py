"""The nightly computation of the indices: the month, quarter and year that hold yesterday (so a period
is settled the night after it ends, and the periods in progress follow the data)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from dangjian.accounts.scope import Scope
from dangjian.insights.indices.services import indices_compute
from dangjian.insights.models import PeriodKind
from dangjian.insights.periods import containing


@shared_task
def compute_indices() -> dict[str, int]:
    yesterday = timezone.localdate() - timedelta(days=1)
    done = {}
    for kind in PeriodKind.values:
        period = containing(kind, yesterday)
        result = indices_compute(actor=None, scope=Scope.system(), period=period, today=yesterday)
        done[period.code] = result.scores
    return done
