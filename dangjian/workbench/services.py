"""Notifications: create (notify) and mark read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.workbench.models import Notification, ReminderLog


def notify(recipients: Iterable[Any], kind: str, title: str, body: str = "", link: str = "") -> int:
    """Create one in-app notification per distinct recipient; returns how many were created."""
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, kind=kind, title=title[:200], body=body, link=link[:300]))
    Notification.objects.bulk_create(rows)
    return len(rows)


def notification_mark_read(*, user: Any, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, all) of the user's notifications read. Reading is not audited."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


def reminder_claim(key: str) -> bool:
    """True the first time a reminder key is claimed, False afterwards (idempotent periodic jobs)."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(key=key)
    except IntegrityError:
        return False
    return True
