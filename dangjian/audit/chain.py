"""The audit hash chain: which chain an event belongs to, its canonical form, its keyed hash, appending.

One chain per (day, chain key). The chain key is the first two segments of the org path (the school
and one college), "" for events with no organization, so writers in different colleges lock different
head rows and never wait for each other; within one college and day they append one after another.

``hash = HMAC-SHA256(chain key secret, canonical JSON of the event incl. seq and prev_hash)``. The secret
is ``AUDIT_CHAIN_KEY`` (or, if unset, derived from ``SECRET_KEY``), kept out of the database: a database
superuser who edits or deletes rows cannot recompute a chain that verifies (docs/operations.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.audit.models import AuditChainHead, AuditEvent

# The school's segment and one college's (Organization.steplen = 4); audit may not import core.
CHAIN_KEY_LENGTH = 8


def chain_key_for(org_path: str) -> str:
    return org_path[:CHAIN_KEY_LENGTH]


def chain_secret() -> bytes:
    configured = getattr(settings, "AUDIT_CHAIN_KEY", "")
    if configured:
        return hashlib.sha256(b"audit-chain\x00" + configured.encode()).digest()
    return hashlib.sha256(b"audit-chain-from-secret-key\x00" + settings.SECRET_KEY.encode()).digest()


def _instant(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical(event: AuditEvent) -> bytes:
    """Every recorded field, as the database gives it back, in one stable byte string."""
    data = {
        "occurred_at": _instant(event.occurred_at),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "org_path": event.org_path,
        "org_name": event.org_name,
        "changes": event.changes,
        "ip": event.ip,
        "request_id": event.request_id,
        "chain_day": event.chain_day.isoformat() if event.chain_day else None,
        "chain_key": event.chain_key,
        "seq": event.seq,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def event_hash(event: AuditEvent, secret: bytes | None = None) -> str:
    return hmac.new(
        secret if secret is not None else chain_secret(), canonical(event), hashlib.sha256
    ).hexdigest()


def normalised_changes(changes: Any) -> Any:
    """The changes as JSON gives them back (tuples become lists, keys strings): what the hash covers."""
    return json.loads(json.dumps(changes))


def _locked_head(day: dt.date, key: str) -> AuditChainHead:
    """The chain's head row, locked until the write's transaction ends; created once, race-safe."""
    head = AuditChainHead.objects.select_for_update().filter(day=day, key=key).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            return AuditChainHead.objects.create(day=day, key=key)
    except IntegrityError:  # another writer created it first: wait for its lock
        return AuditChainHead.objects.select_for_update().get(day=day, key=key)


def link(events: list[AuditEvent]) -> None:
    """Give each event (unsaved, in order) its chain, seq and hashes. Each chain's head is locked once,
    the heads in a fixed order, so two bulk writers spanning the same colleges cannot deadlock."""
    secret = chain_secret()
    chains: set[tuple[dt.date, str]] = set()
    for event in events:
        if event.occurred_at is None:
            event.occurred_at = timezone.now()
        event.chain_day = day = timezone.localdate(event.occurred_at)
        event.chain_key = key = chain_key_for(event.org_path)
        chains.add((day, key))
    heads = {chain: _locked_head(*chain) for chain in sorted(chains)}
    for event in events:
        head = heads[(timezone.localdate(event.occurred_at), event.chain_key)]
        head.last_seq += 1
        event.seq = head.last_seq
        event.prev_hash = head.last_hash
        event.hash = event_hash(event, secret)
        head.last_hash = event.hash
    for head in heads.values():
        AuditChainHead.objects.filter(pk=head.pk).update(last_seq=head.last_seq, last_hash=head.last_hash)
