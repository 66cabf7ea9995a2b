"""Reads of the 领导驾驶舱: the stored, rolled-up indicator values of an organization's children for a
period (one query for all children and codes), their open warnings (one grouped query over the
subtree), the organization's last 12 months (one query) and its summary (members, branches, scores).

Nothing is computed here that the indices did not store: a number on the dashboard is the number on the
organization's 评价指数 page and in its 体检报告."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Sum

from dangjian import hooks
from dangjian.core.indicators import members_on
from dangjian.core.models import Organization, OrgCounts, OrgKind
from dangjian.insights.models import Alert, IndexCode, IndexScore, IndicatorValue, PeriodKind
from dangjian.insights.periods import Period, containing
from dangjian.insights.warnings.selectors import ACTIVE
from dangjian.kit.dates import add_months

# The rates compared between the children and followed over the months, in the order shown.
RATES = ("orglife.meetings_held", "orglife.attendance_rate", "dues.paid_on_time", "learning.study_pace")
# The recruitment funnel, stage by stage (recruitment's indicators, summed over the branches).
FUNNEL = (
    "recruitment.applicants",
    "recruitment.activists",
    "recruitment.candidates",
    "recruitment.probationary",
)
CODES = RATES + FUNNEL
COMMITTEE_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH)
TREND_MONTHS = 12


@dataclass(frozen=True)
class Value:
    value: float | None
    numerator: float | None
    denominator: float | None


@dataclass
class Comparison:
    """The children's values of one code for the period; ``values`` by child id (missing: no value)."""

    children: list[Organization]
    values: dict[int, dict[str, Value]] = field(default_factory=dict)
    warnings: dict[int, int] = field(default_factory=dict)
    own_warnings: int = 0

    @property
    def open_warnings(self) -> int:
        """The open warnings of the whole subtree (the organization's own and its children's)."""
        return self.own_warnings + sum(self.warnings.values())

    def has_values(self) -> bool:
        return any(self.values.values())


CHILD_FIELDS = ("id", "path", "depth", "numchild", "kind", "category", "name", "short_name", "is_active")


def children(org: Organization) -> list[Organization]:
    """The active committees and branches right below ``org`` (not its 党小组), in the tree's order;
    only what the page draws and links with (a school's 3,000 colleges: 57 → 25 ms)."""
    return list(
        Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True)
        .exclude(kind=OrgKind.GROUP)
        .only(*CHILD_FIELDS)
        .order_by("path")
    )


def comparison(org: Organization, period: Period) -> Comparison:
    """The children of ``org`` with their stored values of every compared code for the period (one
    query) and their open warnings (one more)."""
    found = Comparison(children(org))
    ids = [c.pk for c in found.children]
    if ids:
        rows = IndicatorValue.objects.filter(
            organization_id__in=ids,
            period_kind=period.kind,
            period_start=period.start,
            code__in=CODES,
        ).values_list("organization_id", "code", "value", "numerator", "denominator")
        for org_id, code, value, numerator, denominator in rows:
            found.values.setdefault(org_id, {})[code] = Value(value, numerator, denominator)
    found.warnings, found.own_warnings = open_warnings(org, found.children)
    return found


def open_warnings(org: Organization, kids: list[Organization]) -> tuple[dict[int, int], int]:
    """Open and being-handled warnings of the subtree, grouped by the child they fall under; also the
    ones on ``org`` itself. One query, counting first: the alerts per organization of the subtree (an
    index-only scan of ``insights_alert_active_org``), then those counts summed under the organization's
    path cut at the children's depth. Joining every alert to its organization's path before grouping
    took 100–300 ms for a province's 200,000 alerts; this takes 70 ms at the root, under 1 ms in a
    college."""
    width = len(org.path) + Organization.steplen
    alerts, orgs = Alert._meta.db_table, Organization._meta.db_table
    statuses = ", ".join(["%s"] * len(ACTIVE))
    sql = (
        f"SELECT SUBSTR(o.path, 1, %s), SUM(a.n) FROM ("
        f"  SELECT organization_id, COUNT(*) AS n FROM {alerts} WHERE status IN ({statuses})"
        f"  AND organization_id IN (SELECT id FROM {orgs} WHERE path LIKE %s)"
        f"  GROUP BY organization_id"
        f") a JOIN {orgs} o ON o.id = a.organization_id GROUP BY 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [width, *(str(s) for s in ACTIVE), org.path + "%"])
        by_path = {path: int(n) for path, n in cursor.fetchall()}
    own = by_path.pop(org.path, 0)
    by_child = {c.pk: by_path.get(c.path, 0) for c in kids}
    return by_child, own


@dataclass
class Trend:
    """The organization's monthly values, oldest month first; ``None`` where a month has no row."""

    months: list[Period]
    values: dict[str, list[Value | None]]

    def has_values(self) -> bool:
        return any(v is not None for series in self.values.values() for v in series)


def trend_months(period: Period, today: date) -> list[Period]:
    """The 12 months ending with the last month of the period (the current month for a period in
    progress)."""
    last = containing(PeriodKind.MONTH, min(period.end, today))
    return [Period(PeriodKind.MONTH, add_months(last.start, -i)) for i in range(TREND_MONTHS - 1, -1, -1)]


def trend(org: Organization, period: Period, today: date) -> Trend:
    """The org's monthly values of every compared code over the 12 months (one query)."""
    months = trend_months(period, today)
    index = {m.start: i for i, m in enumerate(months)}
    values: dict[str, list[Value | None]] = {code: [None] * len(months) for code in CODES}
    rows = IndicatorValue.objects.filter(
        organization=org,
        period_kind=PeriodKind.MONTH,
        period_start__gte=months[0].start,
        period_start__lte=months[-1].start,
        code__in=CODES,
    ).values_list("period_start", "code", "value", "numerator", "denominator")
    for start, code, value, numerator, denominator in rows:
        values[code][index[start]] = Value(value, numerator, denominator)
    return Trend(months, values)


@dataclass(frozen=True)
class Summary:
    members: int
    branches: int
    scores: list[tuple[str, Any, float | None, str]]  # index, label, score, level


def summary(org: Organization, period: Period, today: date) -> Summary:
    """Members and branches of the subtree at the period's end (or today), and the org's three index
    scores for the period (three queries)."""
    on = min(period.end, today)
    if on == today:
        # The period runs today: the maintained counters (a sum over the subtree's rows, not a count of
        # a province's million memberships).
        members = (
            OrgCounts.objects.filter(organization__path__startswith=org.path).aggregate(n=Sum("members"))["n"]
            or 0
        )
    else:
        members = members_on(on).filter(organization__path__startswith=org.path).count()
    branches = Organization.objects.filter(
        path__startswith=org.path, kind=OrgKind.BRANCH, is_active=True
    ).count()
    got = {
        index: (score, level)
        for index, score, level in IndexScore.objects.filter(
            organization=org, period_kind=period.kind, period_start=period.start
        ).values_list("index", "score", "level")
    }
    scores = [(index, label, *got.get(index, (None, ""))) for index, label in IndexCode.choices]
    return Summary(members, branches, scores)


def indicators() -> dict[str, hooks.Indicator]:
    """The compared codes' indicators as contributed (a module not installed leaves its codes out)."""
    known = {i.code: i for i in hooks.indicators.all()}
    return {code: known[code] for code in CODES if code in known}
