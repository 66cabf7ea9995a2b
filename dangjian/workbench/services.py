"""Notifications: create (notify) and mark read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
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
    with transaction.atomic():
        Notification.objects.bulk_create(rows)
        _bell_changed(seen)
    return len(rows)


def _bell_changed(user_ids: set[int]) -> None:
    """A new ``notice_version`` for these users: their cached unread count is not read again."""
    if user_ids:
        get_user_model().objects.filter(pk__in=user_ids).update(notice_version=F("notice_version") + 1)


def notification_mark_read(*, user: Any, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, all) of the user's notifications read. Reading is not audited."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    with transaction.atomic():
        updated = qs.update(read_at=timezone.now())
        if updated:
            _bell_changed({user.pk})
    if updated and hasattr(user, "notice_version"):
        user.refresh_from_db(fields=["notice_version"])  # the bell drawn after this, in this request
    return updated


def reminder_claim(key: str) -> bool:
    """True the first time a reminder key is claimed, False afterwards (idempotent periodic jobs)."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(key=key)
    except IntegrityError:
        return False
    return True
