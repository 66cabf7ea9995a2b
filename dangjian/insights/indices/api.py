"""评价指数 API: an organization's indices for a period, each with its indicators, in the caller's scope."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.core.selectors import get_org_for, scope_roots
from dangjian.insights.indices import selectors
from dangjian.insights.models import PeriodKind
from dangjian.insights.periods import parse
from dangjian.kit.access_rules import access_rule, anywhere
from dangjian.kit.errors import DomainError

router = Router(tags=["insights"])


class ComponentOut(Schema):
    indicator: str
    label: str
    unit: str
    weight: float
    value: float | None
    numerator: float | None
    denominator: float | None
    points: float | None


class IndexOut(Schema):
    index: str
    label: str
    score: float | None
    level: str
    version_effective_from: str | None
    components: list[ComponentOut]


class IndicesOut(Schema):
    org_id: int
    org_name: str
    period: str
    indices: list[IndexOut]


@access_rule(anywhere(Permission.VIEW_INSIGHTS))
@router.get("/indices", response=IndicesOut)
def indices(request: HttpRequest, org: int | None = None, period: str = "") -> Any:
    """The organization's (default: the caller's top one) three indices for ``period`` ("2026",
    "2026Q4", "2026-11"; default the newest computed quarter), each opened into its indicators. An
    organization outside the caller's scope answers 404; a period that cannot be read, 400."""
    scope = scope_of(request)
    if org is None:
        top = scope_roots(scope, Permission.VIEW_INSIGHTS).first()
        if top is None:
            raise HttpError(404, "Not Found")
        target = top
    else:
        target = get_org_for(scope, org, Permission.VIEW_INSIGHTS)
    try:
        chosen = (
            parse(period) if period else selectors.latest_period(PeriodKind.QUARTER, timezone.localdate())
        )
    except DomainError as exc:
        raise HttpError(400, str(exc)) from exc
    lines = selectors.org_indices(target, chosen)
    return {
        "org_id": target.pk,
        "org_name": target.name,
        "period": chosen.code,
        "indices": [
            {
                "index": line.index,
                "label": str(line.label),
                "score": line.score,
                "level": line.level,
                "version_effective_from": line.version.effective_from.isoformat() if line.version else None,
                "components": [
                    {
                        "indicator": c.code,
                        "label": str(c.label),
                        "unit": c.indicator.unit if c.indicator else "",
                        "weight": c.weight,
                        "value": c.value,
                        "numerator": c.numerator,
                        "denominator": c.denominator,
                        "points": c.points,
                    }
                    for c in line.components
                ],
            }
            for line in lines
        ],
    }
