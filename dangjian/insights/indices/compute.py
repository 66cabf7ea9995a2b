"""Computing a period's indicator values and index scores for every branch and committee, set-based.

Each indicator answers its readings for all active branches in a few queries; the committees (党总支,
院系党委, the school) get their branches' readings rolled up; each organization's indices are scored
with the version of each index in force at the period's end. The period's rows are replaced in one
transaction (readers see the old rows until it commits) and written with COPY on PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangjian import hooks
from dangjian.core.models import Organization, OrgKind
from dangjian.insights.indices import rules
from dangjian.insights.indices.versions import versions_in_force
from dangjian.insights.models import IndexScore, IndicatorValue
from dangjian.insights.periods import Period
from dangjian.kit.bulk import copy_rows
from dangjian.kit.planner import analyze

STEP = Organization.steplen


@dataclass(frozen=True)
class ComputeResult:
    period: Period
    values: int
    scores: int
    organizations: int


@dataclass
class _Sum:
    numerator: float = 0.0
    denominator: float = 0.0
    total: float = 0.0
    count: int = 0


def _rolled(indicator: hooks.Indicator, acc: _Sum) -> tuple[float | None, float | None, float | None]:
    if indicator.rollup == "sum":
        return acc.total, None, None
    if indicator.rollup == "mean":
        return (round(acc.total / acc.count, 4) if acc.count else None), None, None
    if not acc.denominator:
        return None, acc.numerator, acc.denominator
    return round(acc.numerator / acc.denominator, 4), acc.numerator, acc.denominator


def branch_readings(period: Period, until: date) -> dict[str, Mapping[int, hooks.Reading]]:
    """Every indicator's readings for the period, measured up to ``until`` (today, for the period in
    progress)."""
    end = min(period.end, until)
    return {ind.code: ind.readings(period.start, end) for ind in hooks.indicators.all()}


def rollup(
    orgs: Iterable[tuple[int, str, str]], readings: Mapping[str, Mapping[int, hooks.Reading]]
) -> dict[int, dict[str, tuple[float | None, float | None, float | None]]]:
    """``{org id: {code: (value, numerator, denominator)}}`` for the branches as measured and every
    committee above them rolled up (``orgs``: id, path, kind of every active organization)."""
    committees: dict[str, int] = {}
    branches: list[tuple[int, str]] = []
    for org_id, path, kind in orgs:
        if kind == OrgKind.BRANCH:
            branches.append((org_id, path))
        elif kind != OrgKind.GROUP:
            committees[path] = org_id
    out: dict[int, dict[str, tuple[float | None, float | None, float | None]]] = defaultdict(dict)
    by_code = {ind.code: ind for ind in hooks.indicators.all()}
    for code, per_branch in readings.items():
        sums: dict[int, _Sum] = defaultdict(_Sum)
        for branch_id, path in branches:
            reading = per_branch.get(branch_id)
            if reading is None:
                continue
            out[branch_id][code] = (reading.value, reading.numerator, reading.denominator)
            for cut in range(STEP, len(path), STEP):
                committee = committees.get(path[:cut])
                if committee is None:
                    continue
                acc = sums[committee]
                if reading.value is not None:
                    acc.total += reading.value
                    acc.count += 1
                acc.numerator += reading.numerator or 0
                acc.denominator += reading.denominator or 0
        for committee, acc in sums.items():
            out[committee][code] = _rolled(by_code[code], acc)
    return out


def compute(*, period: Period, today: date | None = None) -> ComputeResult:
    """Replace the period's values and scores with what the data says now."""
    today = today or timezone.localdate()
    orgs = list(Organization.objects.filter(is_active=True).values_list("id", "path", "kind"))
    readings = branch_readings(period, today)
    values = rollup(orgs, readings)
    versions = versions_in_force(min(period.end, today))
    now = timezone.now()
    value_rows: list[tuple[Any, ...]] = []
    score_rows: list[tuple[Any, ...]] = []
    for org_id, measured in values.items():
        for code, (value, numerator, denominator) in measured.items():
            value_rows.append((org_id, period.kind, period.start, code, value, numerator, denominator, now))
        plain = {code: v[0] for code, v in measured.items()}
        for index, version in versions.items():
            got = rules.score(plain, rules.components_of(version.components))
            if got is None:
                continue
            level = rules.level(got, version.good_from, version.fair_from)
            score_rows.append((org_id, period.kind, period.start, index, got, level, version.pk, now))
    with transaction.atomic():
        IndicatorValue.objects.filter(period_kind=period.kind, period_start=period.start).delete()
        IndexScore.objects.filter(period_kind=period.kind, period_start=period.start).delete()
        copy_rows(
            IndicatorValue,
            (
                "organization_id",
                "period_kind",
                "period_start",
                "code",
                "value",
                "numerator",
                "denominator",
                "computed_at",
            ),
            value_rows,
        )
        copy_rows(
            IndexScore,
            (
                "organization_id",
                "period_kind",
                "period_start",
                "index",
                "score",
                "level",
                "version_id",
                "computed_at",
            ),
            score_rows,
        )
        analyze(IndicatorValue, IndexScore, rows=len(value_rows))
    return ComputeResult(period, len(value_rows), len(score_rows), len(values))
