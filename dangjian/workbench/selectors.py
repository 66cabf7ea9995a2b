from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet

from dangjian.workbench.models import Notification

logger = logging.getLogger(__name__)


def notifications_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_count(user: Any) -> int:
    """The bell's number. Kept in the cache under ``User.notice_version`` (ADR 0004), which every
    notification created or read bumps in the same transaction: the user row comes with every request,
    so a count is never served after a change, by any process. A failing cache: counted in the database."""
    if not getattr(user, "is_authenticated", False):
        return 0
    if settings.UNREAD_CACHE_SECONDS <= 0:
        return _count_unread(user)
    joined = int(user.date_joined.timestamp() * 1_000_000) if user.date_joined else 0
    key = f"unread:{user.pk}:{joined}:{user.notice_version}"
    try:
        cached = cache.get(key)
    except Exception:
        logger.warning("unread count cache unreadable, counting in the database", exc_info=True)
        return _count_unread(user)
    if isinstance(cached, int):
        return cached
    count = _count_unread(user)
    try:
        cache.set(key, count, settings.UNREAD_CACHE_SECONDS)
    except Exception:
        logger.warning("unread count cache unwritable", exc_info=True)
    return count


def _count_unread(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
