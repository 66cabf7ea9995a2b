"""Periodic jobs of the dues module (Celery beat; eager when no broker is configured)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone


@shared_task(name="dangjian.dues.tasks.generate_monthly_bills")
def generate_monthly_bills(today: str | None = None) -> int:
    """On the 1st: the month's bills for every member (idempotent, set-based)."""
    from dangjian.dues.billing import bills_generate

    on = date.fromisoformat(today) if today else timezone.localdate()
    return bills_generate(on.replace(day=1))


@shared_task(name="dangjian.dues.tasks.send_dues_reminders")
def send_dues_reminders(today: str | None = None) -> dict[str, int]:
    """Monthly reminders to members with unpaid bills, and warnings to branches (once per month)."""
    from dangjian.dues.reminders import send_dues_reminders as send

    on = date.fromisoformat(today) if today else timezone.localdate()
    return send(today=on)
