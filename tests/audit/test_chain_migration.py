"""Upgrading chains the events written before the chain existed, in id order, and they verify."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.db import connection

from dangjian.audit.integrity import verify_chains
from dangjian.audit.models import AuditChainHead, AuditEvent
from tests.audit.tampering import drop_the_guard


class _Editor:
    """What the migration uses of a schema editor (SQLite's cannot open inside the test's transaction)."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


migration = importlib.import_module("dangjian.audit.migrations.0004_chain_existing_events")


def test_existing_events_are_chained_in_id_order(world) -> None:
    drop_the_guard()  # start from a log written before the upgrade: no chained event, no head
    AuditEvent.objects.all().delete()
    AuditChainHead.objects.all().delete()
    orgs = [world.cs_branch, world.fl_branch, world.cs_branch2, world.cs_branch]
    legacy = AuditEvent.objects.bulk_create(
        [AuditEvent(action="test.legacy", org_path=org.path, changes={"n": n}) for n, org in enumerate(orgs)]
    )
    assert not AuditEvent.objects.filter(seq__isnull=False).exists()

    migration.chain_existing(apps, _Editor())

    cs = AuditEvent.objects.filter(chain_key=world.cs.path).order_by("seq")
    assert list(cs.values_list("pk", "seq")) == [(legacy[0].pk, 1), (legacy[2].pk, 2), (legacy[3].pk, 3)]
    assert verify_chains().ok
