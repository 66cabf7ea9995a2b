"""Concurrent writers (PostgreSQL): one chain's writers queue on its head and leave no gap or fork;
writers of different colleges do not wait for each other."""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

from dangjian import audit
from dangjian.audit.integrity import verify_chains
from dangjian.audit.models import AuditEvent
from tests.race import race

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _write(org, n: int = 1) -> None:
    with transaction.atomic():
        for i in range(n):
            audit.record(actor=None, action="test.race", org=org, changes={"i": i})


def test_ten_writers_of_one_chain_append_one_after_another(world) -> None:
    results = race([lambda: _write(world.cs_branch, 3) for _ in range(10)])
    assert not [r for r in results if isinstance(r, Exception)], results
    seqs = [s for s in AuditEvent.objects.filter(action="test.race").values_list("seq", flat=True) if s]
    assert len(seqs) == 30 and len(set(seqs)) == 30
    assert verify_chains().ok


def test_a_college_holding_its_chain_does_not_hold_up_another(world) -> None:
    holding, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def hold_cs() -> None:
        try:
            with transaction.atomic():
                audit.record(actor=None, action="test.race", org=world.cs_branch)
                holding.set()
                release.wait(timeout=60)
        finally:
            connections.close_all()

    def write(org, key: str) -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                audit.record(actor=None, action="test.race", org=org)
            outcome[key] = "written"
        except OperationalError as exc:
            outcome[key] = exc
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_cs)
    holder.start()
    assert holding.wait(timeout=60)
    for org, key in ((world.fl_branch, "other college"), (world.cs_branch2, "same college")):
        t = threading.Thread(target=write, args=(org, key))
        t.start()
        t.join()
    release.set()
    holder.join()
    assert outcome["other college"] == "written"
    assert isinstance(outcome["same college"], OperationalError)  # it waited on the head: lock timeout
    assert verify_chains().ok
