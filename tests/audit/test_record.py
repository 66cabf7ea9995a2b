"""The one audit helper: inside the write's transaction, only what changed, append-only on PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction

from dangjian import audit
from dangjian.audit.models import AuditEvent
from dangjian.audit.services import diff


def test_record_refuses_to_run_outside_a_transaction(transactional_db) -> None:
    with pytest.raises(RuntimeError, match="transaction"):
        audit.record(actor=None, action="test.outside")


def test_diff_keeps_only_changed_fields() -> None:
    assert diff({"a": 1, "b": date(2026, 1, 1)}, {"a": 1, "b": date(2026, 2, 1), "c": "x"}) == {
        "b": {"before": "2026-01-01", "after": "2026-02-01"},
        "c": {"before": None, "after": "x"},
    }


def test_record_stores_who_what_where(world, school_admin) -> None:
    with transaction.atomic():
        event = audit.record(
            actor=school_admin,
            action="test.record",
            target=world.cs_branch,
            org=world.cs_branch,
            changes={"x": 1},
        )
    assert event.actor_name == "school_admin"
    assert event.target_repr == world.cs_branch.name and event.org_path == world.cs_branch.path


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_audit_rows_cannot_be_updated_or_deleted_on_postgresql(db) -> None:
    with transaction.atomic():
        event = audit.record(actor=None, action="test.append_only")
    for statement in (
        "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.append_only"
