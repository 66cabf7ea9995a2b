"""The nightly check: a broken chain is recorded, told to the 审计管理员 and 安全管理员, and logged."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from dangjian import audit
from dangjian.accounts.roles import Role
from dangjian.audit.models import AuditEvent
from dangjian.audit.tasks import check_audit_chains
from dangjian.workbench.models import Notification
from tests import factories as f
from tests.audit.tampering import drop_the_guard


def _tampered(world, actor) -> AuditEvent:
    with transaction.atomic():
        events = [
            audit.record(actor=actor, action="test.watch", org=world.fl_branch, changes={"n": n})
            for n in range(3)
        ]
    drop_the_guard()
    AuditEvent.objects.filter(pk=events[1].pk).update(changes={"n": 7})
    return events[1]


def test_a_clean_log_raises_no_alarm(world, auditor, school_admin) -> None:
    with transaction.atomic():
        audit.record(actor=school_admin, action="test.watch", org=world.fl_branch)
    assert check_audit_chains() == 0
    assert not AuditEvent.objects.filter(action="audit.chain.broken").exists()
    assert not Notification.objects.exists()


def test_a_break_is_recorded_told_to_the_auditors_and_logged_once(
    world, auditor, school_admin, caplog
) -> None:
    security = f.user_for(None, "security", (Role.SECURITY_ADMIN, None))
    edited = _tampered(world, school_admin)

    with caplog.at_level(logging.ERROR, logger="dangjian.audit.watch"):
        assert check_audit_chains() == 1

    chain = f"{edited.chain_day}/{world.fl.path}"
    event = AuditEvent.objects.get(action="audit.chain.broken")
    assert event.changes == {"chain": chain, "seq": edited.seq, "kind": "edited", "event": None}
    told = Notification.objects.filter(kind="audit.chain.broken")
    assert {n.recipient for n in told} == {auditor, security}
    assert all(chain in n.body and str(edited.seq) in n.body for n in told)
    assert any(r.levelname == "ERROR" and chain in r.getMessage() for r in caplog.records)

    check_audit_chains()  # the next night: logged again, told once
    assert told.count() == 2 and AuditEvent.objects.filter(action="audit.chain.broken").count() == 1


def test_only_the_recent_days_are_checked_each_night(world, auditor, school_admin, settings) -> None:
    _tampered(world, school_admin)
    settings.AUDIT_VERIFY_DAYS = 2
    later = timezone.localdate() + timedelta(days=2)
    assert check_audit_chains(today=later.isoformat()) == 0
