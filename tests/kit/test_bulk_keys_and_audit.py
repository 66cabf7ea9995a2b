"""copy_insert: many new rows at once (COPY on PostgreSQL, bulk_create elsewhere), with their keys; audit
events written so are chained and verify."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from dangjian import audit
from dangjian.audit.context import RequestContext, current_request
from dangjian.audit.integrity import verify_chains
from dangjian.audit.models import AuditEvent
from dangjian.core.models import Person
from dangjian.kit.bulk import copy_insert


def _people(world, n: int, prefix: str = "BULK") -> list[Person]:
    return [
        Person(
            name=f"批量{i}",
            gender="male",
            birth_date=date(1990, 1, 1),
            person_type="staff",
            organization=world.cs_branch,
            staff_number=f"{prefix}{i}",
        )
        for i in range(n)
    ]


def test_rows_get_their_keys_and_every_column(world) -> None:
    with transaction.atomic():
        created = copy_insert(Person, _people(world, 3))
    assert len({p.pk for p in created}) == 3 and all(p.pk for p in created)
    stored = Person.objects.get(pk=created[1].pk)
    assert (stored.name, stored.staff_number, stored.organization) == ("批量1", "BULK1", world.cs_branch)
    assert stored.created_at is not None and stored.updated_at is not None  # auto_now filled
    later = Person.objects.create(
        name="其后", gender="male", birth_date=date(1990, 1, 1), person_type="staff", staff_number="AFTER"
    )
    assert later.pk > max(p.pk for p in created)  # the keys came from the table's own sequence


def test_a_clash_is_the_databases_integrity_error(world) -> None:
    with transaction.atomic():
        copy_insert(Person, _people(world, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        copy_insert(Person, _people(world, 2))


def test_audit_events_written_in_bulk_are_chained_and_verify(world, school_admin) -> None:
    token = current_request.set(RequestContext(ip="10.0.0.1", request_id="req-1"))
    with transaction.atomic():
        audit.record_many(
            actor=school_admin,
            action="test.bulk",
            items=[
                (
                    world.cs_branch,
                    world.cs_branch,
                    {"n": {"before": None, "after": n}, "on": date(2026, 1, n + 1)},
                )
                for n in range(5)
            ],
        )
    current_request.reset(token)
    events = list(AuditEvent.objects.filter(action="test.bulk").order_by("seq"))
    assert {(e.ip, e.request_id) for e in events} == {("10.0.0.1", "req-1")}
    assert [e.changes["n"]["after"] for e in events] == [0, 1, 2, 3, 4]
    assert events[2].changes["on"] == "2026-01-03"
    assert verify_chains().ok
    call_command("verify_audit")
