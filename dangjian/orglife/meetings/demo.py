"""Demo 组织生活 for 示范大学: a year of meetings for the branches of the first colleges (all of them at the
small size) with check-ins, leave and minutes; monthly plans in every state for the demo college; gaps on
purpose — two branches with a committee miss 支委会 in some months, and one member of the demo branch has
not attended for seven months without leave. Bulk inserts (demo seed only: real work goes through the
services and their audit), then the attendance tally rebuilt from them."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from dangjian.core.models import (
    Cadre,
    Membership,
    MembershipType,
    Organization,
    OrgKind,
    Position,
    PositionTitle,
    Standing,
)
from dangjian.kit.bulk import copy_insert, copy_rows
from dangjian.kit.dates import add_months
from dangjian.orglife.compliance.tally import tally_rebuild
from dangjian.orglife.meetings.study import tell_study
from dangjian.orglife.models import (
    Attendance,
    Attendee,
    AttendeeRole,
    CheckinMethod,
    LeaveRequest,
    LeaveStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
    Plan,
    PlanStatus,
)
from dangjian.policy import get_policy

COLLEGES_AT_LARGE_SIZE = 6  # at university size only the first colleges get a year of meetings

TOPICS = {
    MeetingKind.ASSEMBLY: [
        "学习贯彻党的二十届四中全会精神",
        "讨论发展党员工作",
        "支部年度工作总结",
        "预备党员转正讨论",
    ],
    MeetingKind.COMMITTEE: [
        "研究本月支部工作",
        "讨论入党积极分子培养",
        "部署主题党日活动",
        "研究党费收缴情况",
    ],
    MeetingKind.GROUP: ["学习《中国共产党章程》", "交流学习心得", "学习《习近平谈治国理政》"],
    MeetingKind.LECTURE: ["弘扬伟大建党精神", "以高质量党建引领学科发展", "党的纪律建设专题党课"],
    MeetingKind.THEME_DAY: ["参观红色教育基地", "志愿服务进社区", "重温入党誓词", "学习先进典型事迹"],
    MeetingKind.LIFE_MEETING: ["年度组织生活会"],
    MeetingKind.EVALUATION: ["年度民主评议党员"],
}
PLACES = ["学院会议室", "党员活动室", "图书馆报告厅", "线上会议"]


def _months(today: date) -> list[date]:
    first = today.replace(day=1)
    return [add_months(first, -i) for i in range(11, -2, -1)]  # 11 past months, this one and the next


def _branches() -> list[Organization]:
    colleges = list(
        Organization.objects.filter(depth=2, kind=OrgKind.COMMITTEE, is_active=True).order_by("path")
    )
    if len(colleges) > COLLEGES_AT_LARGE_SIZE:
        demo_first = sorted(colleges, key=lambda c: (not c.code.startswith("CS"), c.path))
        colleges = demo_first[:COLLEGES_AT_LARGE_SIZE]
    paths = [c.path for c in colleges]
    return [
        b
        for b in Organization.objects.filter(kind=OrgKind.BRANCH, is_active=True).order_by("path")
        if any(b.path.startswith(p) for p in paths)
    ]


def seed_orglife(*, seed: int = 2026, today: date | None = None) -> dict[str, int]:
    rng = random.Random(seed + 23)
    today = today or timezone.localdate()
    p = get_policy()
    branches = _branches()
    ids = [b.pk for b in branches]
    members: dict[int, list[tuple[int, int | None, str]]] = defaultdict(list)
    for person_id, org_id, group_id, mtype in Membership.objects.filter(
        organization_id__in=ids, standing=Standing.NORMAL
    ).values_list("person_id", "organization_id", "group_id", "membership_type"):
        members[org_id].append((person_id, group_id, mtype))
    secretaries = dict(
        Position.objects.filter(
            organization_id__in=ids, title=PositionTitle.SECRETARY, ended_on__isnull=True
        ).values_list("organization_id", "person_id")
    )
    committee: dict[int, list[int]] = defaultdict(list)
    for org_id, person_id in Position.objects.filter(
        organization_id__in=ids, ended_on__isnull=True
    ).values_list("organization_id", "person_id"):
        committee[org_id].append(person_id)
    dual: dict[int, list[int]] = defaultdict(list)
    for org_id, person_id in Cadre.objects.filter(dual_life_branch_id__in=ids, is_leading=True).values_list(
        "dual_life_branch_id", "person_id"
    ):
        dual[org_id].append(person_id)
    groups: dict[int, list[int]] = defaultdict(list)
    by_path = {b.path: b.pk for b in branches}
    step = Organization.steplen
    for pk, path in (
        Organization.objects.filter(kind=OrgKind.GROUP).order_by("path").values_list("pk", "path")
    ):
        branch = next((by_path[path[:n]] for n in range(step, len(path), step) if path[:n] in by_path), None)
        if branch is not None:
            groups[branch].append(pk)

    # The deliberate gaps: two branches with a committee skip 支委会 in some months; one member of the
    # demo branch (CS-T1) stops coming seven months ago (never the secretary, never the demo member).
    with_committee = [
        b.pk
        for b in branches
        if sum(1 for m in members[b.pk] if m[2] == MembershipType.FULL)
        >= p.branch_committee_threshold_full_members
    ]
    codes = {b.pk: b.code for b in branches}
    skipping = [b for b in with_committee if codes[b] == "CS-S1"] + [
        b for b in with_committee if not codes[b].startswith("CS-")
    ][:1]
    skip_committee = {b: {2, 5, 9} for b in skipping}
    demo_branch = next((b.pk for b in branches if b.code == "CS-T1"), branches[0].pk if branches else 0)
    from dangjian.accounts.models import User

    demo_people = set(User.objects.filter(person__isnull=False).values_list("person_id", flat=True))
    absentee = next(
        (
            pid
            for pid, _g, _t in members[demo_branch]
            if pid not in demo_people and pid != secretaries.get(demo_branch)
        ),
        None,
    )
    absent_since = add_months(today.replace(day=1), -7)

    months = _months(today)
    meetings: list[Meeting] = []
    for b in branches:
        facts_committee = b.pk in with_committee
        for i, month in enumerate(months):
            kinds: list[tuple[str, int | None]] = [(MeetingKind.THEME_DAY, None)]
            if facts_committee and i not in skip_committee.get(b.pk, set()):
                kinds.append((MeetingKind.COMMITTEE, None))
            kinds += [(MeetingKind.GROUP, g) for g in groups[b.pk]]
            if month.month in (3, 6, 9, 12):
                kinds += [(MeetingKind.ASSEMBLY, None), (MeetingKind.LECTURE, None)]
            if month.month == 1:
                kinds += [(MeetingKind.LIFE_MEETING, None), (MeetingKind.EVALUATION, None)]
            for kind, group in kinds:
                day = month + timedelta(days=rng.randint(2, 25))
                status = (
                    MeetingStatus.CLOSED
                    if day < today - timedelta(days=30)
                    else MeetingStatus.MINUTED
                    if day < today - timedelta(days=7)
                    else MeetingStatus.HELD
                    if day < today
                    else MeetingStatus.NOTIFIED
                    if day < today + timedelta(days=14)
                    else MeetingStatus.PLANNED
                )
                start = time(rng.choice([9, 14, 15, 19]), rng.choice([0, 30]))
                aware = timezone.make_aware(datetime.combine(day, start))
                meetings.append(
                    Meeting(
                        organization_id=b.pk,
                        group_id=group,
                        ad_hoc=rng.random() < 0.08,
                        kind=kind,
                        topic=rng.choice(TOPICS[MeetingKind(kind)]),
                        date=day,
                        start_time=start,
                        place=rng.choice(PLACES),
                        speaker_id=secretaries.get(b.pk) if kind == MeetingKind.LECTURE else None,
                        status=status,
                        notified_at=aware - timedelta(days=3) if status != MeetingStatus.PLANNED else None,
                        held_at=aware if day < today else None,
                        closed_at=aware + timedelta(days=20) if status == MeetingStatus.CLOSED else None,
                    )
                )
    with transaction.atomic():
        # A lecture without a secretary to give it becomes a theme day (the data says who lectured).
        for m in meetings:
            if m.kind == MeetingKind.LECTURE and m.speaker_id is None:
                m.kind, m.topic = MeetingKind.THEME_DAY, rng.choice(TOPICS[MeetingKind.THEME_DAY])
        plans = _plans(branches, months, today)
        for m in meetings:
            if not m.ad_hoc:
                m.plan_id = plans.get((m.organization_id, m.date.replace(day=1)))
        copy_insert(Meeting, meetings)
        attendees: list[tuple[object, ...]] = []
        leaves: list[tuple[object, ...]] = []
        minutes: list[Minutes] = []
        for m in meetings:
            people = members[m.organization_id]
            if m.kind == MeetingKind.COMMITTEE:
                expected = [(pid, AttendeeRole.MEMBER) for pid in sorted(set(committee[m.organization_id]))]
            elif m.kind == MeetingKind.GROUP:
                expected = [(pid, AttendeeRole.MEMBER) for pid, g, _t in people if g == m.group_id]
            else:
                expected = [(pid, AttendeeRole.MEMBER) for pid, _g, _t in people]
                expected += [
                    (pid, AttendeeRole.DUAL_LIFE)
                    for pid in dual[m.organization_id]
                    if pid not in {e[0] for e in expected}
                ]
            held = m.date < today
            starts = timezone.make_aware(datetime.combine(m.date, m.start_time))
            for pid, role in expected:
                attendance, reason, checked = Attendance.EXPECTED, "", None
                if held:
                    roll = rng.random()
                    if pid == absentee and m.date >= absent_since:
                        attendance, reason = Attendance.ABSENT, "未请假"
                    elif roll < 0.86 or pid == secretaries.get(m.organization_id):
                        attendance, checked = (
                            Attendance.PRESENT,
                            starts - timedelta(minutes=rng.randint(0, 25)),
                        )
                    elif roll < 0.95:
                        attendance = Attendance.LEAVE
                        leaves.append(
                            (
                                m.pk,
                                pid,
                                rng.choice(["出差", "授课冲突", "病假", "外出调研"]),
                                LeaveStatus.APPROVED,
                                starts - timedelta(days=1),
                            )
                        )
                    else:
                        attendance, reason = Attendance.ABSENT, rng.choice(["临时有事未请假", "未说明原因"])
                method = (CheckinMethod.QR if rng.random() < 0.9 else CheckinMethod.MANUAL) if checked else ""
                attendees.append((m.pk, pid, role, attendance, checked, method, reason))
            if m.status in (MeetingStatus.MINUTED, MeetingStatus.CLOSED):
                sec = secretaries.get(m.organization_id)
                minutes.append(
                    Minutes(
                        meeting=m,
                        host_id=sec,
                        recorder_id=sec,
                        content=f"会议围绕“{m.topic}”进行学习和讨论，与会党员结合实际发言。",
                        resolutions="会议形成一致意见。"
                        if m.kind in (MeetingKind.ASSEMBLY, MeetingKind.COMMITTEE)
                        else "",
                    )
                )
        copy_rows(
            Attendee,
            [
                "meeting_id",
                "person_id",
                "role",
                "attendance",
                "checked_in_at",
                "checkin_method",
                "absence_reason",
            ],
            attendees,
        )
        copy_rows(LeaveRequest, ["meeting_id", "person_id", "reason", "status", "decided_at"], leaves)
        copy_insert(Minutes, minutes)
        # Minutes are written 0–9 days after the meeting (8 in 10 within the 7 days of the minutes
        # indicator), not all on the day of the seed: ``recorded_at`` is set on insert, so afterwards.
        for mn in minutes:
            written = mn.meeting.starts_at + timedelta(days=mn.meeting.pk % 10, hours=2)
            mn.recorded_at = min(written, timezone.now())
        Minutes.objects.bulk_update(minutes, ["recorded_at"], batch_size=500)
        # The archived 党课 and 集中学习 count toward the study hours of those present (党员学习's ledger).
        tell_study(None, meetings)
        # Attendees written in bulk: the attendance tally is counted once, set-based.
        tallies = tally_rebuild()
    return {
        "meetings": len(meetings),
        "attendees": len(attendees),
        "leave requests": len(leaves),
        "minutes": len(minutes),
        "plans": len(plans),
        "attendance tally rows": tallies,
    }


def _plans(branches: list[Organization], months: list[date], today: date) -> dict[tuple[int, date], int]:
    """Month plans of the demo college's branches: approved for the past months and this one, and for the
    next month one submitted, one returned and the rest drafts. Returns their ids by (branch, month)."""
    demo = [b for b in branches if b.code.startswith("CS-")]
    this_month = today.replace(day=1)
    plans = []
    for i, b in enumerate(demo):
        for month in months:
            if month <= this_month:
                status = PlanStatus.APPROVED
            else:
                status = [PlanStatus.SUBMITTED, PlanStatus.RETURNED][i] if i < 2 else PlanStatus.DRAFT
            plans.append(
                Plan(
                    organization_id=b.pk,
                    period_kind="month",
                    period_start=month,
                    status=status,
                    submitted_at=timezone.now() if status != PlanStatus.DRAFT else None,
                    reviewed_at=timezone.now()
                    if status in (PlanStatus.APPROVED, PlanStatus.RETURNED)
                    else None,
                    review_note="请补充党小组会安排" if status == PlanStatus.RETURNED else "",
                )
            )
    copy_insert(Plan, plans)
    return {(p.organization_id, p.period_start): p.pk for p in plans}
