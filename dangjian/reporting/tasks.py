"""Periodic jobs of the statistics."""

from __future__ import annotations

from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone


@shared_task(name="dangjian.reporting.tasks.nightly_snapshot")
def nightly_snapshot(on: str | None = None) -> str:
    """Nightly: the snapshot of the day just ended (on 1 January, that is the year-end snapshot of the
    annual return), so "today's" statistics are at most a day old."""
    from dangjian.accounts.scope import Scope
    from dangjian.reporting.services import snapshot_compute

    day = date.fromisoformat(on) if on else timezone.localdate() - timedelta(days=1)
    snapshot = snapshot_compute(on=day, actor=None, scope=Scope.system())
    return f"{snapshot.on.isoformat()}: {snapshot.people} people, {snapshot.organizations} organizations"
