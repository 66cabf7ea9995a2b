"""Attempts abandoned past their deadline are graded at their deadline (Celery beat, every 10 minutes);
an attempt is also graded when it is next opened, so the task only tidies up the results pages."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="dangjian.learning.exams.tasks.close_due_attempts")
def close_due_attempts() -> int:
    from dangjian.learning.exams.services import attempts_close_due

    return attempts_close_due()
