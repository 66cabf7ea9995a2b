"""The study plans' reminder before their deadline (Celery beat, daily; once per plan and person)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone


@shared_task(name="dangjian.learning.library.tasks.send_plan_reminders")
def send_plan_reminders(today: str | None = None) -> int:
    from dangjian.learning.library.services import plan_reminders_send

    return plan_reminders_send(today=date.fromisoformat(today) if today else timezone.localdate())
