"""Reads of 组织生活 through the scope: meetings and plans of the branches in the user's scope, the
meetings a person attends, and where a meeting stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import ON_ROLL_STANDINGS, Membership, MembershipType, Organization, OrgKind
from dangjian.orglife import access
from dangjian.orglife.models import (
    Attendance,
    Attendee,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
    PeriodKind,
    Plan,
    period_end,
)
from dangjian.policy import get_policy

P = Permission


def meetings_visible_to(scope: Scope, perm: Permission = P.VIEW_ORGLIFE) -> QuerySet[Meeting]:
    """Meetings of branches in the scope of ``perm``; with VIEW also the meetings the person attends."""
    q = scope.q(perm, "organization__path") if scope.has(perm) else Q(pk__in=[])
    if perm == P.VIEW_ORGLIFE and scope.person_id:
        q |= Q(attendees__person_id=scope.person_id)
    qs = Meeting.objects.filter(q)
    if perm == P.VIEW_ORGLIFE and scope.person_id:
        qs = qs.distinct()
    return qs.select_related("organization", "group", "speaker")


def get_meeting_for(scope: Scope, meeting_id: Any, perm: Permission = P.VIEW_ORGLIFE) -> Meeting:
    try:
        return meetings_visible_to(scope, perm).get(pk=int(meeting_id))
    except (Meeting.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def plans_visible_to(scope: Scope, perm: Permission = P.VIEW_ORGLIFE) -> QuerySet[Plan]:
    return Plan.objects.filter(scope.q(perm, "organization__path")).select_related("organization")


def get_plan_for(scope: Scope, plan_id: Any, perm: Permission = P.VIEW_ORGLIFE) -> Plan:
    try:
        return plans_visible_to(scope, perm).get(pk=int(plan_id))
    except (Plan.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def branches_under(org: Organization) -> QuerySet[Organization]:
    """Active 党支部 in ``org``'s subtree (the org itself if it is one)."""
    return Organization.objects.filter(path__startswith=org.path, kind="branch", is_active=True)


def attendance_counts(meeting: Meeting, attendees: list[Attendee] | None = None) -> dict[str, int]:
    """Attendees per attendance and in all: one grouped query, or none from the attendees read already."""
    counts = {a: 0 for a in Attendance.values}
    if attendees is not None:
        for attendee in attendees:
            counts[attendee.attendance] = counts.get(attendee.attendance, 0) + 1
    else:
        rows = Attendee.objects.filter(meeting=meeting).values("attendance").annotate(n=Count("id"))
        counts.update({r["attendance"]: r["n"] for r in rows})
    counts["total"] = sum(counts[a] for a in Attendance.values)
    return counts


@dataclass
class Requirement:
    kind: str
    label: str
    required: int
    planned: int
    state: str  # "ok", "missing", "pending" (a longer period still running), "na" (does not apply)
    note: str = ""


PERIOD_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}


def branch_facts(org: Organization) -> tuple[bool, bool]:
    """(has a committee, has 党小组): whether 支委会 and 党小组会 are required of this branch."""
    p = get_policy()
    full = Membership.objects.filter(
        organization=org, membership_type=MembershipType.FULL, standing__in=ON_ROLL_STANDINGS
    ).count()
    groups = Organization.objects.filter(
        path__startswith=org.path, kind=OrgKind.GROUP, is_active=True
    ).exists()
    return full >= p.branch_committee_threshold_full_members, groups


def _period_of(kind: str, day: date) -> tuple[date, date]:
    from dangjian.orglife.meetings.services import period_start_of

    start = period_start_of(kind, day)
    return start, period_end(kind, start)


def plan_check(plan: Plan) -> list[Requirement]:
    """Whether the meetings of a plan meet the frequencies of the policy for its period. A requirement of
    a longer period (a quarter's 党员大会 in a month plan) counts the branch's meetings of that whole
    period and is "missing" only when the plan's period closes it."""
    has_committee, has_groups = branch_facts(plan.organization)
    plan_months = PERIOD_MONTHS[PeriodKind(plan.period_kind)]
    plan_end = period_end(plan.period_kind, plan.period_start)
    planned = dict(
        plan.meetings.exclude(status=MeetingStatus.CANCELLED)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    rows = []
    for kind, per, n in get_policy().orglife_frequencies:
        label = str(MeetingKind(kind).label)
        if (kind == MeetingKind.COMMITTEE and not has_committee) or (
            kind == MeetingKind.GROUP and not has_groups
        ):
            rows.append(Requirement(kind, label, 0, planned.get(kind, 0), "na", _("本支部不适用")))
            continue
        per_months = PERIOD_MONTHS[PeriodKind(per)]
        if per_months <= plan_months:
            required = n * plan_months // per_months
            have = planned.get(kind, 0)
            rows.append(Requirement(kind, label, required, have, "ok" if have >= required else "missing"))
            continue
        start, end = _period_of(per, plan.period_start)
        have = (
            Meeting.objects.filter(organization=plan.organization, kind=kind, date__range=(start, end))
            .exclude(status=MeetingStatus.CANCELLED)
            .count()
        )
        state = "ok" if have >= n else ("missing" if plan_end >= end else "pending")
        note = _("%(p)s内至少 %(n)s 次，已安排 %(h)s 次") % {"p": PeriodKind(per).label, "n": n, "h": have}
        rows.append(Requirement(kind, label, n, have, state, note))
    return rows


@dataclass(frozen=True)
class Verdict:
    """One answer for a whole plan: whether it meets the required frequencies, and if not which forms are
    missing (a requirement of a longer period still running — "pending" — is not missing yet)."""

    missing: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.missing

    @property
    def text(self) -> str:
        if self.ok:
            return _("本计划满足要求")
        return _("本计划未满足：%(forms)s") % {"forms": "、".join(self.missing)}


def plan_verdict(plan: Plan, rows: list[Requirement] | None = None) -> Verdict:
    rows = plan_check(plan) if rows is None else rows
    return Verdict(tuple(r.label for r in rows if r.state == "missing"))


TRAIL_LABELS = {
    "orglife.plan_create": _("制定计划"),
    "orglife.plan_copy": _("复制上月计划生成"),
    "orglife.plan_submit": _("提交审核"),
    "orglife.plan_approve": _("审核通过"),
    "orglife.plan_return": _("退回修改"),
}


@dataclass(frozen=True)
class TrailStep:
    at: Any
    who: str
    what: str
    note: str


def plan_trail(plan: Plan) -> list[TrailStep]:
    """The plan's history from the audit log: made, submitted (with the branch's reason), approved or
    returned (with the note or reason), oldest first."""
    from dangjian.audit.models import AuditEvent

    events = AuditEvent.objects.filter(
        target_type=Plan._meta.label_lower, target_id=str(plan.pk), action__in=list(TRAIL_LABELS)
    ).order_by("occurred_at", "pk")
    steps = []
    for e in events:
        changes = e.changes or {}
        note = "；".join(str(v) for v in (changes.get("note"), changes.get("reason")) if v)
        steps.append(TrailStep(e.occurred_at, e.actor_name, str(TRAIL_LABELS[e.action]), note))
    return steps


def absent_on_close(meeting: Meeting) -> list[Attendee]:
    """Who archiving the meeting records as absent: attendees neither present nor on leave, except the
    host and the recorder named in the minutes (they were there; ``services.meeting_close``)."""
    minutes = Minutes.objects.filter(meeting=meeting).only("host_id", "recorder_id").first()
    there = [pk for pk in (minutes.host_id, minutes.recorder_id) if pk] if minutes else []
    return list(
        Attendee.objects.filter(meeting=meeting, attendance__in=(Attendance.EXPECTED, Attendance.ABSENT))
        .exclude(person_id__in=there)
        .select_related("person")
        .order_by("person__name_pinyin", "pk")
    )


TILE_BRANCHES = 3  # a secretary runs one branch, rarely two: the 工作台's tiles are not lists


def branches_run(scope: Scope) -> list[Organization]:
    """The first few active branches whose 组织生活 the user runs, by path (one query per request, shared
    by the 工作台's tiles through the scope's memo)."""
    key = ("orglife.branches_run",)
    if key not in scope.memo:
        scope.memo[key] = list(
            Organization.objects.filter(access.manage_q(scope, "path"), kind=OrgKind.BRANCH, is_active=True)
            .only("pk", "name", "short_name", "path", "kind")
            .order_by("path")[:TILE_BRANCHES]
        )
    return scope.memo[key]  # type: ignore[return-value]
