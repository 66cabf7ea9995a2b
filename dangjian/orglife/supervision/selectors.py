"""Reads of 督查 through the scope: the pool and draws of the committees a reviewer runs, a supervisor's own
tasks, the problems a branch must answer or a college follows, the re-run of a draw, and the feedback
report of an org for a period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization
from dangjian.orglife.models import (
    Assignment,
    Draw,
    Feedback,
    MeetingStatus,
    Problem,
    ProblemStatus,
    Supervisor,
)
from dangjian.orglife.supervision.rules import outcome_from_inputs
from dangjian.policy import get_policy

P = Permission


def _get(qs: QuerySet[Any], pk: Any) -> Any:
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


# ---- pool and draws ------------------------------------------------------------------------------


def supervisors_visible_to(scope: Scope) -> QuerySet[Supervisor]:
    return Supervisor.objects.filter(scope.q(P.REVIEW_ORGLIFE, "home_org__path")).select_related(
        "person", "home_org"
    )


def get_supervisor_for(scope: Scope, supervisor_id: Any) -> Supervisor:
    return _get(supervisors_visible_to(scope), supervisor_id)  # type: ignore[no-any-return]


def draws_visible_to(scope: Scope) -> QuerySet[Draw]:
    return Draw.objects.filter(scope.q(P.REVIEW_ORGLIFE, "scope_org__path")).select_related(
        "scope_org", "created_by__person"
    )


def get_draw_for(scope: Scope, draw_id: Any) -> Draw:
    return _get(draws_visible_to(scope), draw_id)  # type: ignore[no-any-return]


def draw_assignments(draw: Draw) -> QuerySet[Assignment]:
    return draw.assignments.select_related(
        "meeting__organization", "supervisor__person", "feedback"
    ).order_by("meeting__date", "meeting__start_time", "pk")


@dataclass
class Verification:
    ok: bool
    expected: list[tuple[int, int]]
    recorded: list[tuple[int, int]]
    missing: list[tuple[int, int]] = field(default_factory=list)  # re-run has it, the records do not
    extra: list[tuple[int, int]] = field(default_factory=list)  # recorded, not produced by the re-run


def draw_verify(draw: Draw) -> Verification:
    """Re-run the draw from its recorded inputs and seed and compare with the assignments on record."""
    outcome = outcome_from_inputs(draw.seed, draw.inputs)
    expected = sorted(outcome.assignments)
    recorded = sorted(draw.assignments.values_list("meeting_id", "supervisor_id"))
    exp, rec = set(expected), set(recorded)
    ok = exp == rec and outcome.unassigned == list(draw.inputs.get("unassigned", []))
    return Verification(ok, expected, recorded, sorted(exp - rec), sorted(rec - exp))


# ---- a supervisor's tasks ------------------------------------------------------------------------


def my_assignments(scope: Scope) -> QuerySet[Assignment]:
    if not scope.person_id:
        return Assignment.objects.none()
    return Assignment.objects.filter(supervisor__person_id=scope.person_id).select_related(
        "meeting__organization", "draw"
    )


def get_my_assignment(scope: Scope, assignment_id: Any) -> Assignment:
    return _get(my_assignments(scope), assignment_id)  # type: ignore[no-any-return]


def get_assignment_visible(scope: Scope, assignment_id: Any) -> Assignment:
    """A task seen by its supervisor, by the branch supervised or by the committees above it."""
    q = scope.q(P.REVIEW_ORGLIFE, "meeting__organization__path") | scope.q(
        P.MANAGE_ORGLIFE, "meeting__organization__path"
    )
    if scope.person_id:
        q |= Q(supervisor__person_id=scope.person_id)
    qs = Assignment.objects.filter(q).select_related(
        "meeting__organization", "supervisor__person", "draw", "feedback"
    )
    return _get(qs, assignment_id)  # type: ignore[no-any-return]


# ---- problems ------------------------------------------------------------------------------------

_MEETING_PATH = "feedback__assignment__meeting__organization__path"


def problems_visible_to(scope: Scope) -> QuerySet[Problem]:
    """Problems of the branches the user runs (to answer) or reviews (to follow)."""
    q = scope.q(P.MANAGE_ORGLIFE, _MEETING_PATH) | scope.q(P.REVIEW_ORGLIFE, _MEETING_PATH)
    return Problem.objects.filter(q).select_related(
        "feedback__assignment__meeting__organization", "feedback__assignment__supervisor__person"
    )


def get_problem_for(scope: Scope, problem_id: Any, perm: Permission = P.MANAGE_ORGLIFE) -> Problem:
    qs = Problem.objects.filter(scope.q(perm, _MEETING_PATH)).select_related(
        "feedback__assignment__meeting__organization", "feedback__assignment__supervisor__person"
    )
    return _get(qs, problem_id)  # type: ignore[no-any-return]


def problems_filtered(
    qs: QuerySet[Problem], *, org: Organization | None, status: str, overdue: bool
) -> QuerySet[Problem]:
    if org is not None:
        qs = qs.filter(**{f"{_MEETING_PATH}__startswith": org.path})
    if status in ProblemStatus.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=ProblemStatus.OPEN, rectify_by__lt=timezone.localdate())
    return qs.order_by("status", "rectify_by", "pk")


# ---- report --------------------------------------------------------------------------------------


@dataclass
class ReportRow:
    org: Organization | None  # None for the total
    name: str
    drawn: int = 0
    filed: int = 0
    item_sums: dict[str, int] = field(default_factory=dict)
    total_sum: Decimal = Decimal(0)
    problems: int = 0
    open_problems: int = 0
    overdue: int = 0

    def average(self, value: Any) -> Decimal | None:
        if not self.filed:
            return None
        return (Decimal(value) / self.filed).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def item_averages(self) -> list[Decimal | None]:
        return [self.average(self.item_sums.get(code, 0)) for code in report_item_codes()]

    @property
    def total_average(self) -> Decimal | None:
        return self.average(self.total_sum)


def report_item_codes() -> list[str]:
    return [code for code, _name, _max in get_policy().orglife_supervision_items]


@dataclass
class Report:
    org: Organization
    period_from: date
    period_to: date
    items: list[tuple[str, str, int]]
    rows: list[ReportRow]
    total: ReportRow
    problems: list[Problem]


def _child_path(org: Organization, path: str) -> str:
    return path[: len(org.path) + Organization.steplen]


def supervision_report(org: Organization, period_from: date, period_to: date) -> Report:
    """Scores and problems of the meetings under ``org`` dated in the period, one row per child org (the
    branches of a college, the colleges of the school). Three queries."""
    today = timezone.localdate()
    assignments = list(
        Assignment.objects.filter(
            meeting__organization__path__startswith=org.path,
            meeting__date__range=(period_from, period_to),
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .values_list("pk", "meeting__organization__path", "status")
    )
    feedback = {
        f.assignment_id: f
        for f in Feedback.objects.filter(assignment_id__in=[a[0] for a in assignments]).only(
            "assignment_id", "scores", "total"
        )
    }
    problems = list(
        Problem.objects.filter(feedback__assignment_id__in=[a[0] for a in assignments])
        .select_related("feedback__assignment__meeting__organization")
        .order_by("feedback__assignment__meeting__organization__path", "pk")
    )
    rows: dict[str, ReportRow] = {}
    total = ReportRow(None, "")
    for pk, path, _status in assignments:
        row = rows.setdefault(_child_path(org, path), ReportRow(None, ""))
        for r in (row, total):
            r.drawn += 1
            fb = feedback.get(pk)
            if fb is not None:
                r.filed += 1
                r.total_sum += fb.total
                for code, score in fb.scores.items():
                    r.item_sums[code] = r.item_sums.get(code, 0) + int(score)
    for problem in problems:
        path = problem.feedback.assignment.meeting.organization.path
        for r in (rows.setdefault(_child_path(org, path), ReportRow(None, "")), total):
            r.problems += 1
            if problem.status == ProblemStatus.OPEN:
                r.open_problems += 1
                if problem.rectify_by and problem.rectify_by < today:
                    r.overdue += 1
    orgs = {o.path: o for o in Organization.objects.filter(path__in=list(rows))}
    for path, row in rows.items():
        row.org = orgs.get(path)
        row.name = row.org.display_name if row.org else path
    return Report(
        org=org,
        period_from=period_from,
        period_to=period_to,
        items=list(get_policy().orglife_supervision_items),
        rows=[rows[p] for p in sorted(rows)],
        total=total,
        problems=problems,
    )
