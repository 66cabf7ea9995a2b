"""Periodic jobs of the core module."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone


@shared_task(name="dangjian.core.tasks.send_term_expiry_reminders")
def send_term_expiry_reminders(today: str | None = None) -> int:
    """Term-expiry reminders, once per org, term and threshold (idempotent)."""
    from dangjian.core.reminders import send_term_reminders

    on = date.fromisoformat(today) if today else timezone.localdate()
    return send_term_reminders(today=on)
