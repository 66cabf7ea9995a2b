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


@shared_task(name="dangjian.orglife.tasks.repair_attendance_tally")
def repair_attendance_tally() -> int:
    """Nightly: recompute the attendance tally rows that drifted from the held meetings' attendees
    (audited); returns how many. Zero unless a write bypassed the meeting services."""
    import logging

    from dangjian.orglife.compliance.tally import tally_repair

    repaired = tally_repair(actor=None)
    if repaired:
        logging.getLogger(__name__).warning("attendance tally drifted and was repaired: %s", repaired[:20])
    return len(repaired)
