"""Statistics of 组织生活 (reads only): the compliance matrix (branches × months, red / yellow / green),
attendance rates, 主题党日 participation, 党课 by secretaries and leading cadres, 双重组织生活 attendance.

Every figure comes from grouped queries over a bounded set of branches (one page of them), so a page
costs the same number of queries whatever the number of branches or meetings.

What counts
- A meeting counts once it is held (status held, minuted or closed; ``HELD_STATUSES``); cancelled and
  planned ones do not.
- The frequencies are the policy's (``orglife_frequencies``). 支委会 is required only of a branch with a
  committee (≥ ``branch_committee_threshold_full_members`` full members on the roll), 党小组会 only of a
  branch with 党小组; 党小组会 counts the branch's group meetings together.
- A monthly form is judged in its month; a quarterly (yearly) form in the last month of the quarter
  (year), counting the meetings of the whole quarter (year). While that month is running a shortfall is
  yellow; once it is over, red.
- Attendance: the attendees of held meetings who were expected as members (role member or 双重组织生活);
  the rate is present / all of them; leave is counted apart and is not present. Per organization and
  whole month these figures are kept in ``AttendanceTally`` by the meeting services
  (``compliance.tally``, ADR 0009): ``rate_of`` and ``rates_by_branch`` sum it for whole months.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.models import (
    ON_ROLL_STANDINGS,
    Cadre,
    Membership,
    MembershipType,
    Organization,
    OrgKind,
    Position,
    PositionTitle,
)
from dangjian.kit.dates import add_months
from dangjian.orglife.models import (
    HELD_STATUSES,
    Attendance,
    AttendanceTally,
    Attendee,
    AttendeeRole,
    Meeting,
    MeetingKind,
)
from dangjian.policy import get_policy

GREEN, YELLOW, RED, GREY = "green", "yellow", "red", "grey"
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
PERIOD_LABELS = {
    "month": gettext_lazy("每月"),
    "quarter": gettext_lazy("每季度"),
    "year": gettext_lazy("每年"),
}
MEMBER_ROLES = (AttendeeRole.MEMBER, AttendeeRole.DUAL_LIFE)
# The forms' names as they fit in a matrix cell.
SHORT_LABELS: dict[str, Any] = {
    MeetingKind.ASSEMBLY: gettext_lazy("党员大会"),
    MeetingKind.COMMITTEE: gettext_lazy("支委会"),
    MeetingKind.GROUP: gettext_lazy("党小组会"),
    MeetingKind.LECTURE: gettext_lazy("党课"),
    MeetingKind.THEME_DAY: gettext_lazy("主题党日"),
    MeetingKind.LIFE_MEETING: gettext_lazy("组织生活会"),
    MeetingKind.EVALUATION: gettext_lazy("民主评议"),
}


def _short(kinds: Iterable[str]) -> str:
    return "、".join(str(SHORT_LABELS.get(k, k)) for k in kinds)


# ---- the rule for one cell (pure) ---------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    month: date
    state: str  # green / yellow / red / grey (a month not yet begun, or before the branch existed)
    held: int = 0  # meetings held in the month, all forms
    missing: tuple[str, ...] = ()  # forms short in a period that is over (red)
    due: tuple[str, ...] = ()  # forms still short in a period that is running (yellow)

    @property
    def missing_labels(self) -> list[str]:
        return [str(MeetingKind(k).label) for k in self.missing]

    @property
    def due_labels(self) -> list[str]:
        return [str(MeetingKind(k).label) for k in self.due]

    @property
    def short(self) -> str:
        """The reason in a few characters, shown in the cell: "缺支委会、党课" (period over) or
        "待主题党日" (running)."""
        if self.missing:
            return _("缺%(f)s") % {"f": _short(self.missing)}
        if self.due:
            return _("待%(f)s") % {"f": _short(self.due)}
        return ""

    @property
    def ym(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def symbol(self) -> str:
        """Read without colour too: ✓ met, … running and short, ✗ short, – not begun."""
        return {GREEN: "✓", YELLOW: "…", RED: "✗", GREY: "–"}[self.state]

    @property
    def css(self) -> str:
        return {GREEN: "bg-green-lt", YELLOW: "bg-yellow-lt", RED: "bg-red-lt", GREY: "bg-secondary-lt"}[
            self.state
        ]

    @property
    def title(self) -> str:
        if self.missing:
            return _("%(m)s 未达标：%(f)s") % {"m": self.ym, "f": "、".join(self.missing_labels)}
        if self.due:
            return _("%(m)s 尚缺：%(f)s") % {"m": self.ym, "f": "、".join(self.due_labels)}
        return f"{self.ym} {state_label(self.state)}"


def judge_cell(
    *,
    month: date,
    today: date,
    frequencies: Iterable[tuple[str, str, int]],
    required: Iterable[str],
    held: Mapping[tuple[str, int], int],
    exists_from: date | None = None,
) -> Cell:
    """The state of one branch in one month of a year.

    ``held`` maps (kind, month number 1–12 of the same year) to meetings held; ``required`` are the
    kinds this branch must hold (支委会 / 党小组会 only with a committee / groups). A form of period p is
    judged in the last month of its period, over the whole period: met → green; short and that month
    over → red; short and that month running → yellow. A month not begun yet is grey, and so is a month
    the branch did not exist on the first day of (it is not asked to hold a month's meetings at once)."""
    month = month.replace(day=1)
    month_end = add_months(month, 1)
    total = sum(n for (_kind, m), n in held.items() if m == month.month)
    if month > today or (exists_from is not None and exists_from > month):
        return Cell(month, GREY, total)
    required = set(required)
    missing: list[str] = []
    due: list[str] = []
    for kind, per, need in frequencies:
        if kind not in required:
            continue
        span = PERIOD_MONTHS[per]
        if month.month % span:  # not the last month of its period: judged later
            continue
        first = month.month - span + 1
        have = sum(held.get((kind, m), 0) for m in range(first, month.month + 1))
        if have >= need:
            continue
        (missing if today >= month_end else due).append(kind)
    state = RED if missing else YELLOW if due else GREEN
    return Cell(month, state, total, tuple(missing), tuple(due))


# ---- branch facts and the matrix -----------------------------------------------------------------


@dataclass
class BranchFacts:
    has_committee: bool
    has_groups: bool

    def required(self, frequencies: Iterable[tuple[str, str, int]]) -> set[str]:
        kinds = {k for k, _per, _n in frequencies}
        if not self.has_committee:
            kinds.discard(MeetingKind.COMMITTEE)
        if not self.has_groups:
            kinds.discard(MeetingKind.GROUP)
        return kinds


def branch_facts_bulk(branches: Sequence[Organization]) -> dict[int, BranchFacts]:
    """``meetings.selectors.branch_facts`` for many branches in two queries."""
    if not branches:
        return {}
    p = get_policy()
    ids = [b.pk for b in branches]
    full = dict(
        Membership.objects.filter(
            organization_id__in=ids, membership_type=MembershipType.FULL, standing__in=ON_ROLL_STANDINGS
        )
        .values_list("organization_id")
        .annotate(n=Count("id"))
        .values_list("organization_id", "n")
    )
    steplen = Organization.steplen
    group_q = Q()
    for b in branches:
        group_q |= Q(path__startswith=b.path, depth=b.depth + 1)
    group_parents = {
        path[:-steplen]
        for path in Organization.objects.filter(group_q, kind=OrgKind.GROUP, is_active=True).values_list(
            "path", flat=True
        )
    }
    return {
        b.pk: BranchFacts(
            full.get(b.pk, 0) >= p.branch_committee_threshold_full_members, b.path in group_parents
        )
        for b in branches
    }


def held_counts(branch_ids: Sequence[int], year: int) -> dict[int, dict[tuple[str, int], int]]:
    """branch id → {(kind, month): meetings held} for a year: one grouped query."""
    rows = (
        Meeting.objects.filter(
            organization_id__in=list(branch_ids),
            status__in=HELD_STATUSES,
            date__gte=date(year, 1, 1),
            date__lt=date(year + 1, 1, 1),
        )
        .annotate(m=ExtractMonth("date"))
        .values_list("organization_id", "kind", "m")
        .annotate(n=Count("id"))
        .order_by()
    )
    result: dict[int, dict[tuple[str, int], int]] = {}
    for org_id, kind, m, n in rows:
        result.setdefault(org_id, {})[(kind, int(m))] = n
    return result


@dataclass
class MatrixRow:
    branch: Organization
    facts: BranchFacts
    cells: list[Cell] = field(default_factory=list)

    @property
    def red(self) -> int:
        return sum(1 for c in self.cells if c.state == RED)

    @property
    def yellow(self) -> int:
        return sum(1 for c in self.cells if c.state == YELLOW)


def matrix_branches(org: Organization) -> QuerySet[Organization]:
    """The rows of the matrix: the active 党支部 in ``org``'s subtree (``org`` itself if a branch)."""
    return Organization.objects.filter(
        path__startswith=org.path, kind=OrgKind.BRANCH, is_active=True
    ).order_by("path")


def compliance_matrix(branches: Iterable[Organization], year: int, today: date) -> list[MatrixRow]:
    """One row per branch with twelve cells (``judge_cell``): branch facts in two queries and the held
    meetings in one grouped query, whatever the number of branches."""
    branches = list(branches)
    frequencies = get_policy().orglife_frequencies
    facts = branch_facts_bulk(branches)
    held = held_counts([b.pk for b in branches], year)
    rows = []
    for b in branches:
        required = facts[b.pk].required(frequencies)
        mine = held.get(b.pk, {})
        cells = [
            judge_cell(
                month=date(year, m, 1),
                today=today,
                frequencies=frequencies,
                required=required,
                held=mine,
                exists_from=b.established_on,
            )
            for m in range(1, 13)
        ]
        rows.append(MatrixRow(b, facts[b.pk], cells))
    return rows


def state_label(state: str) -> str:
    return {
        GREEN: _("达标"),
        YELLOW: _("进行中，尚未达标"),
        RED: _("未达标"),
        GREY: _("未开始"),
    }[state]


# ---- attendance -------------------------------------------------------------------------------------


@dataclass
class Rate:
    total: int = 0
    present: int = 0
    leave: int = 0
    absent: int = 0
    theme_total: int = 0
    theme_present: int = 0

    @property
    def rate(self) -> float | None:
        return self.present / self.total if self.total else None

    @property
    def theme_rate(self) -> float | None:
        return self.theme_present / self.theme_total if self.theme_total else None


def _counts() -> dict[str, Any]:
    return {
        "total": Count("id"),
        "present": Count("id", filter=Q(attendance=Attendance.PRESENT)),
        "leave": Count("id", filter=Q(attendance=Attendance.LEAVE)),
        "absent": Count("id", filter=~Q(attendance__in=[Attendance.PRESENT, Attendance.LEAVE])),
        "theme_total": Count("id", filter=Q(meeting__kind=MeetingKind.THEME_DAY)),
        "theme_present": Count(
            "id", filter=Q(meeting__kind=MeetingKind.THEME_DAY, attendance=Attendance.PRESENT)
        ),
    }


def held_attendees(start: date, end: date) -> QuerySet[Attendee]:
    """Attendees expected as members at meetings held from ``start`` to ``end`` (inclusive)."""
    return Attendee.objects.filter(
        meeting__status__in=HELD_STATUSES,
        meeting__date__gte=start,
        meeting__date__lte=end,
        role__in=MEMBER_ROLES,
    )


def rates_grouped(qs: QuerySet[Attendee], key: str) -> dict[Any, Rate]:
    rows = qs.values(key).annotate(**_counts()).order_by()
    return {r[key]: Rate(**{k: r[k] for k in _counts()}) for r in rows}


def covers_whole_months(start: date, end: date) -> bool:
    """Whether [start, end] is a run of whole calendar months (the tally answers it)."""
    return start.day == 1 and start <= end and (end + timedelta(days=1)).day == 1


def _tally(start: date, end: date) -> QuerySet[AttendanceTally]:
    return AttendanceTally.objects.filter(month__gte=start, month__lte=end)


def _tally_sums() -> dict[str, Any]:
    return {k: Sum(k) for k in _counts()}


def rates_by_branch(branch_ids: Sequence[int], start: date, end: date) -> dict[int, Rate]:
    """Each listed organization's own held meetings (not its subtree's). Whole months are summed from
    the maintained tally (``AttendanceTally``, ADR 0009); any other span is aggregated live."""
    if covers_whole_months(start, end):
        rows = (
            _tally(start, end)
            .filter(branch_id__in=list(branch_ids))
            .values("branch_id")
            .annotate(**_tally_sums())
            .order_by()
        )
        return {r["branch_id"]: Rate(**{k: r[k] or 0 for k in _counts()}) for r in rows}
    return rates_grouped(
        held_attendees(start, end).filter(meeting__organization_id__in=list(branch_ids)),
        "meeting__organization_id",
    )


def rate_of(org: Organization, start: date, end: date) -> Rate:
    """The whole subtree of ``org`` in one aggregate: over the maintained tally's rows of the subtree
    when [start, end] is whole months (a year at province size: ≤ 39,000 × 12 small rows, not 25
    million attendees), otherwise live."""
    if covers_whole_months(start, end):
        rows = _tally(start, end)
        if org.depth > 1:
            rows = rows.filter(branch__path__startswith=org.path)
        # else the root's: every row — the tree has one root (organization_create refuses a second), so
        # no join to the orgs to test a prefix every path has (as ``Scope.q``).
        row = rows.aggregate(**_tally_sums())
    else:
        row = (
            held_attendees(start, end)
            .filter(meeting__organization__path__startswith=org.path)
            .aggregate(**_counts())
        )
    return Rate(**{k: row[k] or 0 for k in _counts()})


def rates_by_member(
    branch: Organization, person_ids: Sequence[int], start: date, end: date
) -> dict[int, Rate]:
    """Attendance of these members at the branch's held meetings (one grouped query)."""
    return rates_grouped(
        held_attendees(start, end).filter(meeting__organization=branch, person_id__in=list(person_ids)),
        "person_id",
    )


def branch_members(branch: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=branch, standing__in=ON_ROLL_STANDINGS)
        .select_related("person")
        .order_by("person__name_pinyin", "person_id")
    )


# ---- 党课 by secretaries and leading cadres; 双重组织生活 ------------------------------------------------


def lectures_by_speaker(person_ids: Sequence[int], start: date, end: date) -> dict[int, int]:
    """Held 党课 given by each of these people in the period (any branch): one grouped query."""
    return dict(
        Meeting.objects.filter(
            kind=MeetingKind.LECTURE,
            status__in=HELD_STATUSES,
            speaker_id__in=list(person_ids),
            date__gte=start,
            date__lte=end,
        )
        .values_list("speaker_id")
        .annotate(n=Count("id"))
        .values_list("speaker_id", "n")
        .order_by()
    )


def secretaries_under(org: Organization, on: date) -> QuerySet[Position]:
    """Current 书记 of the branches in ``org``'s subtree."""
    return (
        Position.objects.filter(
            organization__path__startswith=org.path,
            organization__kind=OrgKind.BRANCH,
            organization__is_active=True,
            title=PositionTitle.SECRETARY,
            started_on__lte=on,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .select_related("person", "organization")
        .order_by("organization__path", "id")
    )


def leading_cadres_under(org: Organization) -> QuerySet[Cadre]:
    """党员领导干部 whose 双重组织生活 branch lies in ``org``'s subtree."""
    return (
        Cadre.objects.filter(is_leading=True, dual_life_branch__path__startswith=org.path)
        .select_related("person", "dual_life_branch")
        .order_by("dual_life_branch__path", "person__name_pinyin", "id")
    )


def dual_life_rates(cadres: Sequence[Cadre], start: date, end: date) -> dict[int, Rate]:
    """Each cadre's attendance at the held meetings of their 双重组织生活 branch (whatever role they were
    listed with there): one grouped query."""
    person_ids = [c.person_id for c in cadres]
    if not person_ids:
        return {}
    qs = Attendee.objects.filter(
        person_id__in=person_ids,
        meeting__status__in=HELD_STATUSES,
        meeting__date__gte=start,
        meeting__date__lte=end,
        meeting__organization_id=F("person__cadre__dual_life_branch_id"),
    )
    return rates_grouped(qs, "person_id")


def branch_month(branch: Organization, month: date, today: date) -> Cell:
    """The matrix cell of one branch and month (the drill-down's heading and the reminder's reason)."""
    return compliance_matrix([branch], month.year, today)[0].cells[month.month - 1]
