"""Reads of the indices: the periods computed, an organization's scores opened into their indicators,
and the points of the 运行状态矩阵图 — always within the viewer's scope (VIEW_INSIGHTS)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from statistics import median
from typing import Any

from django.db.models import Q

from dangjian import hooks
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind
from dangjian.insights.indices import rules
from dangjian.insights.models import IndexCode, IndexScore, IndexVersion, IndicatorValue, PeriodKind
from dangjian.insights.periods import Period, containing

P = Permission
# The chart draws at most this many organizations; the table beside it pages through all of them.
MAX_POINTS = 3000
COMMITTEE_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH)


def latest_period(kind: str, today: date) -> Period:
    """The newest period of ``kind`` with scores, not after today's (else today's)."""
    current = containing(kind, today)
    start = (
        IndexScore.objects.filter(period_kind=kind, period_start__lte=current.start)
        .order_by("-period_start")
        .values_list("period_start", flat=True)
        .first()
    )
    return Period(kind, start) if start else current


def periods_computed(kind: str, limit: int = 24) -> list[Period]:
    starts = (
        IndexScore.objects.filter(period_kind=kind)
        .order_by("-period_start")
        .values_list("period_start", flat=True)
        .distinct()[:limit]
    )
    return [Period(kind, s) for s in starts]


@dataclass
class ComponentLine:
    indicator: hooks.Indicator | None
    code: str
    weight: float
    zero: float
    full: float
    value: float | None
    numerator: float | None
    denominator: float | None
    points: float | None  # the 0–100 score of this component

    @property
    def label(self) -> Any:
        return self.indicator.label if self.indicator else self.code


@dataclass
class IndexLine:
    index: str
    label: Any
    score: float | None
    level: str
    version: IndexVersion | None
    components: list[ComponentLine] = field(default_factory=list)


def indicator_map() -> dict[str, hooks.Indicator]:
    return {i.code: i for i in hooks.indicators.all()}


def org_indices(org: Organization, period: Period) -> list[IndexLine]:
    """The org's three indices for the period, each opened into its components (two queries)."""
    scores = {
        s.index: s
        for s in IndexScore.objects.filter(
            organization=org, period_kind=period.kind, period_start=period.start
        ).select_related("version")
    }
    values = {
        v.code: v
        for v in IndicatorValue.objects.filter(
            organization=org, period_kind=period.kind, period_start=period.start
        )
    }
    known = indicator_map()
    lines = []
    for index, label in IndexCode.choices:
        got = scores.get(index)
        line = IndexLine(
            index, label, got.score if got else None, got.level if got else "", got.version if got else None
        )
        if got is not None:
            for c in rules.components_of(got.version.components):
                v = values.get(c.indicator)
                value = v.value if v else None
                line.components.append(
                    ComponentLine(
                        known.get(c.indicator),
                        c.indicator,
                        c.weight,
                        c.zero,
                        c.full,
                        value,
                        v.numerator if v else None,
                        v.denominator if v else None,
                        None if value is None else c.scale(value),
                    )
                )
        lines.append(line)
    return lines


def org_values(org: Organization, period: Period) -> dict[str, IndicatorValue]:
    return {
        v.code: v
        for v in IndicatorValue.objects.filter(
            organization=org, period_kind=period.kind, period_start=period.start
        )
    }


@dataclass
class MatrixRow:
    org_id: int
    name: str
    path: str
    category: str
    scores: dict[str, float | None]
    levels: dict[str, str]


def matrix_rows(
    scope: Scope,
    *,
    period: Period,
    within: Organization,
    level: str,
    category: str = "",
) -> list[MatrixRow]:
    """The organizations under ``within`` at ``level`` ("branch" or "college": the committees right
    below it) with their scores, in scope; one query. At most MAX_POINTS organizations."""
    orgs = Q(organization__path__startswith=within.path) & scope.q(P.VIEW_INSIGHTS, "organization__path")
    if level == "branch":
        orgs &= Q(organization__kind=OrgKind.BRANCH)
    else:
        orgs &= Q(organization__kind__in=COMMITTEE_KINDS, organization__depth=within.depth + 1)
    if category:
        orgs &= Q(organization__category=category)
    rows: dict[int, MatrixRow] = {}
    query = (
        IndexScore.objects.filter(orgs, period_kind=period.kind, period_start=period.start)
        .order_by("organization__path", "index")
        .values_list(
            "organization_id",
            "organization__short_name",
            "organization__name",
            "organization__path",
            "organization__category",
            "index",
            "score",
            "level",
        )
    )
    for org_id, short, name, path, cat, index, score, lvl in query[: MAX_POINTS * len(IndexCode.values)]:
        row = rows.get(org_id)
        if row is None:
            row = rows[org_id] = MatrixRow(org_id, short or name, path, cat, {}, {})
        row.scores[index] = score
        row.levels[index] = lvl
    return list(rows.values())


def medians(rows: Sequence[MatrixRow]) -> dict[str, float | None]:
    """The median of each index over the rows (the quadrant lines of the matrix)."""
    out: dict[str, float | None] = {}
    for index in IndexCode.values:
        got = [s for r in rows if (s := r.scores.get(index)) is not None]
        out[index] = round(median(got), 1) if got else None
    return out


def children_scores(scope: Scope, org: Organization, period: Period) -> list[MatrixRow]:
    """The org's direct children (committees or branches) with their scores."""
    level = "branch" if org.kind == OrgKind.GENERAL_BRANCH or _children_are_branches(org) else "college"
    return matrix_rows(scope, period=period, within=org, level=level)


def _children_are_branches(org: Organization) -> bool:
    return not Organization.objects.filter(
        path__startswith=org.path, depth=org.depth + 1, kind__in=COMMITTEE_KINDS
    ).exists()


def versions(index: str | None = None) -> list[IndexVersion]:
    q = IndexVersion.objects.select_related("created_by").order_by("index", "-effective_from")
    if index:
        q = q.filter(index=index)
    return list(q)


PERIOD_KINDS = PeriodKind.choices
