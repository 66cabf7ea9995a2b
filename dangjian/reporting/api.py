"""Statistics API: an organization's figures as of a snapshot, in scope."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.core.selectors import get_org_for
from dangjian.kit.access_rules import access_rule, within
from dangjian.reporting import access, selectors

router = Router(tags=["statistics"])


class StatisticsOut(Schema):
    org_id: int
    org_name: str
    on: date
    computed_at: datetime | None
    figures: dict[str, int]
    direct: dict[str, int]


@access_rule(within(Permission.VIEW_STATISTICS))
@router.get("/statistics/{org_id}", response=StatisticsOut)
def statistics(request: HttpRequest, org_id: int, on: date | None = None) -> Any:
    """The figures of the organization's subtree (``figures``) and of its own people (``direct``) in the
    snapshot of ``on`` (or the latest before it; the latest of all without ``on``). 404 outside the
    caller's scope or before any snapshot exists. Keys are the 党内统计 figure codes; a missing key is 0."""
    scope = scope_of(request)
    org = get_org_for(scope, org_id, Permission.VIEW_STATISTICS)
    if not access.may_view(scope, org):
        raise Http404
    snapshot = selectors.pick_snapshot(on)
    if snapshot is None:
        raise Http404
    return {
        "org_id": org.pk,
        "org_name": org.name,
        "on": snapshot.on,
        "computed_at": snapshot.finished_at,
        "figures": selectors.figures_of(snapshot, [org.pk])[org.pk],
        "direct": selectors.figures_of(snapshot, [org.pk], direct=True)[org.pk],
    }
