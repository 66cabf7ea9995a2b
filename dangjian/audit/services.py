"""The one audit helper. Call it inside the transaction of the write it records.

Every event is chained (``audit.chain``): ``record`` costs two queries more than the insert (lock the
chain's head, move it on), ``record_many`` two per chain it touches.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from dangjian.audit.chain import link, normalised_changes
from dangjian.audit.context import current_request
from dangjian.audit.models import AuditEvent
from dangjian.kit.bulk import copy_insert

_JSON_SCALARS = (str, int, float, bool, type(None))


def _jsonable(value: Any) -> Any:
    if value.__class__ in _JSON_SCALARS:  # nearly every value: a bulk import audits 18 fields a row
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return {"id": value.pk, "repr": str(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Only the fields that changed: {"name": {"before": "a", "after": "b"}}."""
    return {
        key: {"before": _jsonable(before.get(key)), "after": _jsonable(after.get(key))}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def _ip(raw: str | None) -> str | None:
    """The address as the database gives it back (IPv6 compressed), so the hash still matches."""
    if not raw:
        return None
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return raw


def _event(actor: Any, action: str, target: models.Model | None, org: Any, changes: Any) -> AuditEvent:
    ctx = current_request.get()
    actor_obj = actor if getattr(actor, "pk", None) else None
    return AuditEvent(
        occurred_at=timezone.now(),
        actor=actor_obj,
        actor_name=(getattr(actor_obj, "display_name", "") or getattr(actor_obj, "username", "") or "系统")[
            :100
        ],
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        org_path=getattr(org, "path", "") or "",
        org_name=(getattr(org, "name", "") or "")[:120],
        changes=normalised_changes(_jsonable(changes or {})),
        ip=_ip(ctx.ip),
        request_id=ctx.request_id,
    )


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must run inside the transaction of the write it records")


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    org: Any = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit event. ``org`` is the Organization the change belongs to (for scoped reading)."""
    _require_transaction()
    event = _event(actor, action, target, org, changes)
    link([event])
    event.save(force_insert=True)
    return event


def record_many(*, actor: Any, action: str, items: list[tuple[models.Model, Any, dict[str, Any]]]) -> int:
    """One event per (target, org, changes), written in bulk: for imports of many rows in one transaction."""
    _require_transaction()
    events = [_event(actor, action, target, org, changes) for target, org, changes in items]
    link(events)
    copy_insert(AuditEvent, events)
    return len(items)
