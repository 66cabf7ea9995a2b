"""The monthly study reminder (Celery beat, daily: the service sends once a month from the policy's day)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone


@shared_task(name="dangjian.learning.ledger.tasks.send_study_reminders")
def send_study_reminders(today: str | None = None) -> int:
    from dangjian.learning.ledger.services import reminders_send

    return reminders_send(today=date.fromisoformat(today) if today else timezone.localdate())
