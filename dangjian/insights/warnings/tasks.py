"""The nightly run of the 预警 centre (Celery beat; eager when no broker is configured)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone


@shared_task(name="dangjian.insights.warnings.tasks.sync_alerts")
def sync_alerts(today: str | None = None) -> dict[str, int]:
    """Store what every warning source finds today (idempotent: a second run raises nothing new)."""
    from dangjian.insights.warnings.services import alerts_sync

    result = alerts_sync(today=date.fromisoformat(today) if today else timezone.localdate())
    return {"new": result.new, "failed": len(result.failed), "notified": result.notified}
