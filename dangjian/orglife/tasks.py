"""Periodic jobs of 组织生活 (Celery beat; eager when no broker is configured)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone


@shared_task(name="dangjian.orglife.tasks.raise_absence_warnings")
def raise_absence_warnings(today: str | None = None) -> int:
    """Warnings for members absent from organizational life for 6 months in a row (idempotent)."""
    from dangjian.orglife.compliance.warnings import raise_absence_warnings as run

    on = date.fromisoformat(today) if today else timezone.localdate()
    return run(on)
