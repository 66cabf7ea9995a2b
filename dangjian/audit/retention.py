"""How long audit events are kept, and the purge of older ones, whole days at a time.

Chains are per day, so a purge removes whole chains (their events and heads) and leaves a watermark
(``AuditPurge``): verification does not report the purged days as deleted. On PostgreSQL the purge
gets past the append-only trigger only by announcing itself in its own transaction (migration 0005).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from dangjian.audit.models import AuditChainHead, AuditEvent, AuditPurge
from dangjian.audit.services import record

# 《中华人民共和国网络安全法》第二十一条(三): 网络日志留存不少于六个月; 等保 2.0 (GB/T 22239-2019)
# 安全审计 asks for the same. 183 days is six months at their longest.
AUDIT_RETENTION_MIN_DAYS = 183


def retention_days() -> int:
    days = int(settings.AUDIT_RETENTION_DAYS)
    if days < AUDIT_RETENTION_MIN_DAYS:
        raise ImproperlyConfigured(
            f"AUDIT_RETENTION_DAYS={days} 过短：审计日志至少保留 {AUDIT_RETENTION_MIN_DAYS} 天"
            "(《网络安全法》第二十一条、等保 2.0 要求不少于六个月)。"
        )
    return days


def purge_cutoff(today: dt.date) -> dt.date:
    """Events of days before this date are past retention."""
    return today - dt.timedelta(days=retention_days())


def _announce_purge(before: dt.date | None) -> None:
    """The transaction-local settings the trigger lets a DELETE through with (PostgreSQL only); ``None``
    takes them back at once, in case an outer transaction goes on after the purge."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('dangjian.audit_purge', %s, true)", ["on" if before else "off"])
        cursor.execute(
            "SELECT set_config('dangjian.audit_purge_before', %s, true)",
            [before.isoformat() if before else ""],
        )


def audit_purge(*, today: dt.date | None = None) -> int:
    """Delete the chains of every day past retention, leave the watermark, audit the purge. Returns the
    number of events removed; a run with nothing to remove writes nothing (idempotent)."""
    before = purge_cutoff(today or timezone.localdate())
    with transaction.atomic():
        old_heads = AuditChainHead.objects.filter(day__lt=before)
        old_events = AuditEvent.objects.filter(chain_day__lt=before)
        if not old_heads.exists() and not old_events.exists():
            return 0
        _announce_purge(before)
        removed, _ = old_events.delete()
        chains, _ = old_heads.delete()
        _announce_purge(None)
        AuditPurge.objects.create(before=before, events=removed)
        record(
            actor=None,
            action="audit.purge",
            changes={
                "before": before,
                "events": removed,
                "chains": chains,
                "retention_days": retention_days(),
            },
        )
    return removed
