"""Periodic jobs of the transfers module."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone


@shared_task(name="dangjian.transfers.tasks.send_graduate_keep_reminders")
def send_graduate_keep_reminders(today: str | None = None) -> int:
    from dangjian.transfers.reminders import send_keep_reminders

    on = date.fromisoformat(today) if today else timezone.localdate()
    return send_keep_reminders(today=on)
