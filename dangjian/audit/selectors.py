"""Reading the audit log, scoped: the auditor reads all of it, organizers their part of the tree."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent


def audit_events_visible_to(scope: Scope) -> QuerySet[AuditEvent]:
    """The events in the reader's part of the tree, except the reader's own: nobody audits themselves
    (三权分立) — an auditor's own reading and exports are for another auditor to review."""
    qs = AuditEvent.objects.filter(scope.q(Permission.VIEW_AUDIT, "org_path"))
    if scope.user_id is not None:
        qs = qs.exclude(actor_id=scope.user_id)
    return qs


def audit_event_list(
    scope: Scope,
    *,
    actor: str = "",
    action: str | Sequence[str] = (),
    org: Any = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    qs = audit_events_visible_to(scope)
    if actor:
        qs = qs.filter(Q(actor_name__contains=actor) | Q(actor__person__name__contains=actor))
    if isinstance(action, str):
        action = (action,) if action else ()
    if len(action) == 1:
        qs = qs.filter(action=action[0])
    elif action:
        qs = qs.filter(action__in=action)
    if org is not None:
        qs = qs.filter(org_path__startswith=org.path)
    if date_from:
        qs = qs.filter(occurred_at__gte=timezone.make_aware(datetime.combine(date_from, time.min)))
    if date_to:
        qs = qs.filter(occurred_at__lte=timezone.make_aware(datetime.combine(date_to, time.max)))
    # the actor's name as it is now (a person linked since), else the name written with the event
    return qs.select_related("actor__person").order_by("-occurred_at", "-id")
