"""The 体检报告 of a branch or a college for a period, built from what the indices stored.

Each section lists its indicators with this period's value, last period's, and the median of the
organization's peers (a branch: the branches of its college; a college: the colleges of the school);
an indicator is a problem when its points on the index that uses it fall below that index's 关注线,
named with the rule its description cites. The open warnings of the organization and everything below
it close the report. A handful of queries whatever the size of the tree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from statistics import median
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.core.models import Organization, OrgKind
from dangjian.insights.assessment.selectors import Mark, latest_marks
from dangjian.insights.indices.selectors import COMMITTEE_KINDS, IndexLine, indicator_map, org_indices
from dangjian.insights.models import Alert, AlertStatus, IndexCode, IndicatorValue
from dangjian.insights.periods import Period
from dangjian.insights.warnings.selectors import most_serious_first

# The report's sections and the indicators each shows, in order; an indicator no section names goes to
# "其他指标", so a module's new indicator is never left out.
SECTIONS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("basic", _("基本状况"), ("core.members", "core.committee_complete", "core.term_on_time")),
    (
        "orglife",
        _("组织生活"),
        (
            "orglife.meetings_held",
            "orglife.attendance_rate",
            "orglife.minutes_on_time",
            "orglife.secretary_lecture",
        ),
    ),
    ("study", _("党员学习"), ("learning.study_pace",)),
    ("training", _("党校培训"), ("learning.training_pass",)),
    ("recruitment", _("发展党员"), ("recruitment.on_time", "recruitment.applicant_ratio")),
    ("dues", _("党费收缴"), ("dues.paid_on_time",)),
    ("transfers", _("组织关系转接"), ("transfers.on_time",)),
    ("supervision", _("督查情况"), ("orglife.supervision_score", "orglife.open_problems")),
)
MAX_WARNINGS = 30


@dataclass
class Line:
    code: str
    indicator: hooks.Indicator | None
    value: float | None
    numerator: float | None
    denominator: float | None
    previous: float | None
    peers: float | None  # the peers' median
    problem: str = ""  # why it is a problem (empty: it is not)

    @property
    def label(self) -> Any:
        return self.indicator.label if self.indicator else self.code

    @property
    def unit(self) -> str:
        return self.indicator.unit if self.indicator else "ratio"

    @property
    def trend(self) -> str:
        """ "up" / "down" / "" against last period, in the indicator's better direction."""
        if self.value is None or self.previous is None or self.value == self.previous:
            return ""
        better = (self.value > self.previous) == (
            (self.indicator.better if self.indicator else "higher") == "higher"
        )
        return "up" if better else "down"


@dataclass
class Section:
    key: str
    label: Any
    lines: list[Line] = field(default_factory=list)

    @property
    def problems(self) -> list[Line]:
        return [line for line in self.lines if line.problem]


@dataclass
class WarningCount:
    source: str
    label: Any
    level: str
    count: int


@dataclass
class HealthReport:
    org: Organization
    period: Period
    peers_label: Any
    indices: list[IndexLine]
    sections: list[Section]
    warning_counts: list[WarningCount]
    warnings: list[Alert]
    made_on: date
    mark: Mark | None = None  # the latest published 述职评议考核 grade up to the period's year
    # The modules' own sections (hooks.report_sections): (section, its template's context).
    extras: list[tuple[hooks.ReportSection, Any]] = field(default_factory=list)

    @property
    def problem_count(self) -> int:
        return sum(len(s.problems) for s in self.sections) + sum(w.count for w in self.warning_counts)

    @property
    def warnings_number(self) -> int:
        """The open warnings' heading number: after the indicator sections and the modules' own."""
        return len(self.sections) + len(self.extras) + 1


def _values(org_ids: Any, period: Period) -> dict[int, dict[str, IndicatorValue]]:
    out: dict[int, dict[str, IndicatorValue]] = defaultdict(dict)
    for v in IndicatorValue.objects.filter(
        organization_id__in=org_ids, period_kind=period.kind, period_start=period.start
    ):
        out[v.organization_id][v.code] = v
    return out


def _peers(org: Organization) -> tuple[Any, Any]:
    """The organizations the org is compared with, as a queryset of ids, and their name."""
    if org.depth == 1:
        return None, _("无可比较的同级组织")
    parent_path = org.path[: -Organization.steplen]
    if org.kind == OrgKind.BRANCH and org.depth == 2:
        # A branch directly under the school is compared with the other branches directly under it.
        peers = Organization.objects.filter(
            path__startswith=parent_path, depth=2, kind=OrgKind.BRANCH, is_active=True
        )
        return peers.values("id"), _("学校直属党支部中位数")
    if org.kind == OrgKind.BRANCH:
        college_path = parent_path
        # A branch under a 党总支 is compared with the branches of the college above it, when there is one.
        if len(college_path) > 2 * Organization.steplen:
            college_path = college_path[: 2 * Organization.steplen]
        peers = Organization.objects.filter(
            path__startswith=college_path, kind=OrgKind.BRANCH, is_active=True
        )
        return peers.values("id"), _("本院系党支部中位数")
    peers = Organization.objects.filter(
        path__startswith=parent_path, depth=org.depth, kind__in=COMMITTEE_KINDS, is_active=True
    )
    return peers.values("id"), _("同级党组织中位数")


def _peer_medians(peer_ids: Any, period: Period) -> dict[str, float]:
    by_code: dict[str, list[float]] = defaultdict(list)
    for code, value in IndicatorValue.objects.filter(
        organization_id__in=peer_ids, period_kind=period.kind, period_start=period.start, value__isnull=False
    ).values_list("code", "value"):
        if value is not None:
            by_code[code].append(value)
    return {code: round(median(vs), 4) for code, vs in by_code.items()}


def _problems(indices: list[IndexLine]) -> dict[str, str]:
    """``{code: why}`` for each indicator scoring below the 关注线 of an index that uses it."""
    found: dict[str, str] = {}
    for line in indices:
        if line.version is None:
            continue
        for c in line.components:
            if c.points is not None and c.points < line.version.fair_from and c.code not in found:
                found[c.code] = str(
                    _("在%(index)s中得 %(p)s 分，低于关注线 %(f)s 分")
                    % {"index": line.label, "p": f"{c.points:.0f}", "f": f"{line.version.fair_from:g}"}
                )
    return found


def health_report(
    org: Organization, period: Period, today: date, medians_cache: dict[str, Any] | None = None
) -> HealthReport:
    """The org's report; ``medians_cache`` (a dict the caller keeps) spares a batch of reports on the
    same peers the same median query."""
    indices = org_indices(org, period)
    mine = _values([org.pk], period).get(org.pk, {})
    before = _values([org.pk], period.previous()).get(org.pk, {})
    peer_ids, peers_label = _peers(org)
    key = f"{period.code}:{peer_ids.query}" if peer_ids is not None else ""
    if peer_ids is None:
        medians: dict[str, float] = {}  # the school has no peers
    elif medians_cache is not None and key in medians_cache:
        medians = medians_cache[key]
    else:
        medians = _peer_medians(peer_ids, period)
        if medians_cache is not None:
            medians_cache[key] = medians
    problems = _problems(indices)
    known = indicator_map()
    sections: list[Section] = []
    placed: set[str] = set()
    for key, label, codes in SECTIONS:
        section = Section(key, label)
        for code in codes:
            if code not in known and code not in mine:
                continue
            placed.add(code)
            section.lines.append(_line(code, known, mine, before, medians, problems))
        sections.append(section)
    rest = [code for code in known if code not in placed]
    if rest:
        sections.append(
            Section("other", _("其他指标"), [_line(c, known, mine, before, medians, problems) for c in rest])
        )
    open_alerts = Alert.objects.filter(
        organization__path__startswith=org.path, status__in=(AlertStatus.OPEN, AlertStatus.HANDLING)
    )
    labels = {w.code: w.label for w in hooks.warnings.all()}
    counts = [
        WarningCount(r["source"], labels.get(r["source"], r["source"]), r["level"], r["n"])
        for r in open_alerts.values("source", "level").annotate(n=Count("id")).order_by("source", "level")
    ]
    warnings = list(
        open_alerts.select_related("organization", "person").order_by(
            most_serious_first(), "-raised_on", "-id"
        )[:MAX_WARNINGS]
    )
    mark = latest_marks([org.pk], period.start.year).get(org.pk)
    extras = [
        (s, ctx)
        for s in hooks.report_sections.all()
        if (ctx := s.context(org, period.start, period.end, today)) is not None
    ]
    return HealthReport(org, period, peers_label, indices, sections, counts, warnings, today, mark, extras)


def _line(
    code: str,
    known: dict[str, hooks.Indicator],
    mine: dict[str, IndicatorValue],
    before: dict[str, IndicatorValue],
    medians: dict[str, float],
    problems: dict[str, str],
) -> Line:
    v = mine.get(code)
    b = before.get(code)
    return Line(
        code,
        known.get(code),
        v.value if v else None,
        v.numerator if v else None,
        v.denominator if v else None,
        b.value if b else None,
        medians.get(code),
        problems.get(code, ""),
    )


INDEX_LABELS = dict(IndexCode.choices)
