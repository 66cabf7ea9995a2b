"""党员学习 in the 体检报告 (hooks.report_sections): how the members of the organization spread against
their yearly study target (32 学时, 56 for committee members — policy), judged at the period's end or
today: none yet, under a quarter, a quarter to half, half to three quarters, three quarters to the
target, the target met. One aggregate query."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization
from dangjian.learning.ledger.selectors import Targets, members_against_targets

BANDS = (
    ("none", _("0 学时"), None, None),
    ("quarter", _("不足 1/4"), Decimal("0"), Decimal("0.25")),
    ("half", _("1/4 至 1/2"), Decimal("0.25"), Decimal("0.5")),
    ("three", _("1/2 至 3/4"), Decimal("0.5"), Decimal("0.75")),
    ("near", _("3/4 至达标"), Decimal("0.75"), Decimal("1")),
    ("met", _("已达标"), Decimal("1"), None),
)


def _band_q(low: Decimal | None, high: Decimal | None) -> Q:
    if low is None:
        return Q(hours__lte=0)
    q = Q(hours__gt=0) if low == 0 else Q(hours__gte=F("target") * low)
    if high is not None:
        q &= Q(hours__lt=F("target") * high)
    return q


def hours_section(org: Organization, start: date, end: date, today: date) -> dict[str, Any] | None:
    targets = Targets.of(start.year, min(today, end))
    counts = members_against_targets(org, targets).aggregate(
        total=Count("id"), **{key: Count("id", filter=_band_q(low, high)) for key, _l, low, high in BANDS}
    )
    total = counts["total"]
    if not total:
        return None
    bands = [(label, counts[key], round(counts[key] * 100 / total)) for key, label, _lo, _hi in BANDS]
    return {
        "year": start.year,
        "total": total,
        "bands": bands,
        "target": targets.member,
        "cadre_target": targets.cadre,
        "on": targets.on,
    }
