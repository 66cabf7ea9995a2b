"""Chain the events written before the hash chain existed, in id order, one chain per day and college.

On PostgreSQL the append-only trigger refuses UPDATE, so it is disabled for this migration only (the
migration runs as the table's owner, inside one transaction: no other writer sees the table without it).
Backwards is a no-op: reversing 0003 drops the chain's columns.
"""

from django.db import migrations
from django.utils import timezone

from dangjian.audit.chain import chain_key_for, chain_secret, event_hash

BATCH = 2000


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
    secret = chain_secret()
    heads: dict = {}
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id, seq__isnull=True).order_by("id")[:BATCH])
        if not batch:
            break
        for event in batch:
            event.chain_day = timezone.localdate(event.occurred_at)
            event.chain_key = chain_key_for(event.org_path)
            seq, prev = heads.get((event.chain_day, event.chain_key), (0, ""))
            event.seq, event.prev_hash = seq + 1, prev
            event.hash = event_hash(event, secret)
            heads[(event.chain_day, event.chain_key)] = (event.seq, event.hash)
        AuditEvent.objects.bulk_update(batch, ["chain_day", "chain_key", "seq", "prev_hash", "hash"])
        last_id = batch[-1].id
    AuditChainHead.objects.bulk_create(
        [AuditChainHead(day=day, key=key, last_seq=seq, last_hash=h) for (day, key), (seq, h) in heads.items()],
        batch_size=BATCH,
    )
    if postgres:
        schema_editor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_hash_chain")]
    operations = [migrations.RunPython(chain_existing, migrations.RunPython.noop)]
