"""Audit events are kept AUDIT_RETENTION_DAYS (at least six months), then purged whole days at a time,
audited, without the verification mistaking the purge for tampering."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction

from dangjian import audit
from dangjian.audit.integrity import verify_chains
from dangjian.audit.models import AuditChainHead, AuditEvent, AuditPurge
from dangjian.audit.retention import AUDIT_RETENTION_MIN_DAYS, audit_purge, retention_days

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 29)


def _record_on(day: date, n: int = 2) -> list[AuditEvent]:
    with time_machine.travel(datetime.combine(day, time(10), SHANGHAI), tick=False), transaction.atomic():
        return [audit.record(actor=None, action="test.retention", changes={"n": i}) for i in range(n)]


def test_the_default_keeps_three_years() -> None:
    assert django_settings.AUDIT_RETENTION_DAYS == 3 * 365


def test_less_than_six_months_is_refused_in_chinese(settings) -> None:
    settings.AUDIT_RETENTION_DAYS = AUDIT_RETENTION_MIN_DAYS - 1
    with pytest.raises(ImproperlyConfigured, match="审计日志至少保留 183 天"):
        retention_days()
    with pytest.raises(ImproperlyConfigured):
        audit_purge(today=TODAY)


def test_the_process_refuses_to_start_with_less_than_six_months() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test", "AUDIT_RETENTION_DAYS": "100"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "审计日志至少保留 183 天" in result.stderr


def test_the_purge_removes_whole_old_days_keeps_the_rest_and_is_audited(db, settings) -> None:
    settings.AUDIT_RETENTION_DAYS = 200
    cutoff = TODAY - timedelta(days=200)
    old = _record_on(cutoff - timedelta(days=1)) + _record_on(cutoff - timedelta(days=30))
    kept = _record_on(cutoff) + _record_on(TODAY - timedelta(days=1))

    with time_machine.travel(datetime.combine(TODAY, time(3, 30), SHANGHAI), tick=False):
        assert audit_purge(today=TODAY) == len(old)
        assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
        assert AuditEvent.objects.filter(pk__in=[e.pk for e in kept]).count() == len(kept)
        assert not AuditChainHead.objects.filter(day__lt=cutoff).exists()
        assert AuditPurge.objects.get().before == cutoff
        event = AuditEvent.objects.get(action="audit.purge")
        assert event.changes["events"] == len(old) and event.changes["before"] == cutoff.isoformat()
        assert verify_chains().ok  # the purged days are not reported as deleted

        assert audit_purge(today=TODAY) == 0  # idempotent: nothing more, nothing written
        assert AuditEvent.objects.filter(action="audit.purge").count() == 1


def test_a_forged_watermark_cannot_hide_recent_days(db) -> None:
    events = _record_on(TODAY)
    AuditPurge.objects.create(before=TODAY + timedelta(days=1), events=0)
    with time_machine.travel(datetime.combine(TODAY, time(12), SHANGHAI), tick=False):
        AuditChainHead.objects.filter(day=TODAY).update(
            last_seq=(events[-1].seq or 0) + 1
        )  # as if one was deleted
        kinds = [b.kind for b in verify_chains().breaks]
    assert kinds == ["watermark", "tail_deleted"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_only_the_announced_purge_gets_past_the_trigger_and_only_for_old_days(db) -> None:
    old, recent = _record_on(date(2020, 1, 1), 1)[0], _record_on(TODAY, 1)[0]

    def attempt(sql: str, pk: int, announce: bool) -> None:
        with transaction.atomic(), connection.cursor() as cur:
            if announce:
                cur.execute("SELECT set_config('dangjian.audit_purge', 'on', true)")
                cur.execute("SELECT set_config('dangjian.audit_purge_before', '2021-01-01', true)")
            cur.execute(sql, [pk])

    delete, update = (
        "DELETE FROM audit_auditevent WHERE id = %s",
        "UPDATE audit_auditevent SET action='x' WHERE id = %s",
    )
    for sql, pk, announce in ((delete, old.pk, False), (delete, recent.pk, True), (update, old.pk, True)):
        with pytest.raises(DatabaseError, match="append-only"):
            attempt(sql, pk, announce)
    attempt(delete, old.pk, True)
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
