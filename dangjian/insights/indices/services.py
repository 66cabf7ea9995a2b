"""Writes of the indices: a new version of an index's definition, and computing a period."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import hooks
from dangjian.accounts.scope import Scope
from dangjian.audit import services as audit
from dangjian.insights import access
from dangjian.insights.indices import compute as engine
from dangjian.insights.indices import rules
from dangjian.insights.indices.versions import ensure_defaults
from dangjian.insights.models import IndexCode, IndexVersion
from dangjian.insights.periods import Period
from dangjian.kit.errors import RuleViolation


def version_create(
    *,
    actor: Any,
    scope: Scope,
    index: str,
    effective_from: date,
    components: list[dict[str, Any]],
    good_from: float,
    fair_from: float,
    note: str = "",
) -> IndexVersion:
    """A new definition of ``index`` from ``effective_from``: the periods ending on or after that day
    are scored by it at their next computation; earlier periods keep the version they were scored by."""
    if not access.may_manage_indices(scope):
        raise RuleViolation(_("只有学校党委组织部可以设置评价指数"), code="forbidden")
    if index not in IndexCode.values:
        raise RuleViolation(_("没有这个指数。"), field="index")
    parsed = rules.components_of(components)
    rules.check_definition(parsed, good_from, fair_from, (i.code for i in hooks.indicators.all()))
    ensure_defaults()
    with transaction.atomic():
        if (
            IndexVersion.objects.select_for_update()
            .filter(index=index, effective_from=effective_from)
            .exists()
        ):
            raise RuleViolation(
                _("该指数在 %(d)s 已有一个版本：请换一个生效日期。") % {"d": effective_from.isoformat()},
                field="effective_from",
            )
        previous = (
            IndexVersion.objects.filter(index=index, effective_from__lte=effective_from)
            .order_by("-effective_from")
            .first()
        )
        version = IndexVersion.objects.create(
            index=index,
            effective_from=effective_from,
            components=[
                {"indicator": c.indicator, "weight": c.weight, "zero": c.zero, "full": c.full} for c in parsed
            ],
            good_from=good_from,
            fair_from=fair_from,
            note=note,
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action="insights.version_create",
            target=version,
            changes={
                "components": [previous.components if previous else None, version.components],
                "good_from": [previous.good_from if previous else None, good_from],
                "fair_from": [previous.fair_from if previous else None, fair_from],
                "effective_from": [None, effective_from.isoformat()],
            },
        )
    return version


def indices_compute(
    *, actor: Any, scope: Scope, period: Period, today: date | None = None
) -> engine.ComputeResult:
    """Compute the period for the whole tree (the nightly run, or the school asking for it now)."""
    if not access.may_compute(scope):
        raise RuleViolation(_("只有学校党委组织部可以重新计算评价指数"), code="forbidden")
    today = today or timezone.localdate()
    if period.start > today:
        raise RuleViolation(_("统计周期尚未开始。"), field="period")
    result = engine.compute(period=period, today=today)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="insights.compute",
            changes={
                "period": [None, period.code],
                "values": [None, result.values],
                "scores": [None, result.scores],
            },
        )
    return result
