"""The 审计管理员's 工作台 tile: what was exported in the last days, most sensitive first."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from dangjian.accounts.roles import Role
from dangjian.accounts.scope import Scope
from dangjian.audit.selectors import audit_events_visible_to

DAYS = 7
UNMASKED_EXPORT = "person.export_unmasked"


def exports_tile(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    """Two queries: the counts of the last ``DAYS`` days, and the latest exports."""
    if Role.AUDIT_ADMIN not in scope.roles:
        return None
    since = timezone.now() - timedelta(days=DAYS)
    recent = audit_events_visible_to(scope).filter(occurred_at__gte=since)
    exports = Q(action__contains="export")
    counts = recent.aggregate(
        events=Count("pk"),
        exports=Count("pk", filter=exports),
        unmasked=Count("pk", filter=Q(action=UNMASKED_EXPORT)),
    )
    latest = list(recent.filter(exports).select_related("actor__person").order_by("-occurred_at")[:5])
    return {"days": DAYS, "counts": counts, "latest": latest, "unmasked_action": UNMASKED_EXPORT}
