"""组织生活's warning sources: open absence warnings, branches without a plan N days into the month,
督查 problems past their 整改时限; and the last organizational life attended, for 失联. Each: its boundary
table, a bounded number of queries whatever the cases, keys stable across runs."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian import hooks
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization
from dangjian.orglife.models import (
    AbsenceWarning,
    Assignment,
    Attendance,
    Attendee,
    Draw,
    Feedback,
    MeetingStatus,
    Plan,
    Problem,
    Supervisor,
    WarningStatus,
)
from dangjian.orglife.warning_sources import (
    absence_findings,
    last_attended,
    plan_findings,
    plan_missing_count,
    problem_findings,
    problem_overdue_count,
)
from tests import factories as f

TODAY = date(2026, 11, 20)


# ---- 连续未参加组织生活 ---------------------------------------------------------------------------


def _absence(person, branch, status=WarningStatus.OPEN, start=date(2026, 4, 1)) -> AbsenceWarning:
    return AbsenceWarning.objects.create(
        person=person,
        branch=branch,
        window_start=start,
        window_end=date(2026, 9, 30),
        missed=7,
        status=status,
    )


def test_each_open_absence_warning_is_a_serious_finding_for_its_branch(world) -> None:
    warning = _absence(world.member, world.cs_branch)
    _absence(world.fl_member, world.fl_branch, status=WarningStatus.HANDLED)
    [found] = absence_findings(TODAY)
    assert (found.key, found.level, found.person_id) == (f"warning:{warning.pk}", "serious", world.member.pk)
    assert found.organization_id == world.cs_branch.pk
    assert found.summary == "李晓红 已连续 6 个月未参加组织生活（2026-04 至 2026-09，缺席 7 次）"
    assert found.rule.startswith("党章 第九条")
    assert found.url == f"/orglife/stats/warnings/?org={world.cs_branch.pk}"
    assert hooks.warnings.get("orglife.absence").findings is absence_findings


@pytest.mark.parametrize("cases", [3, 30])
def test_absence_findings_take_one_query(world, cases, django_assert_max_num_queries) -> None:
    for i in range(cases):
        _absence(f.member(world.cs_branch2, f"成员{i}"), world.cs_branch2)
    with django_assert_max_num_queries(1):
        found = list(absence_findings(TODAY))
    assert len(found) == cases
    assert [x.key for x in absence_findings(TODAY)] == [x.key for x in found]


# ---- 组织生活计划未提交 ---------------------------------------------------------------------------


def _plan(org: Organization, kind: str, start: date, status: str) -> Plan:
    return Plan.objects.create(organization=org, period_kind=kind, period_start=start, status=status)


def _missing(today: date = TODAY) -> set[int]:
    return {x.organization_id for x in plan_findings(today)}


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 11, 1), False),
        (date(2026, 11, 10), False),  # 9 days of the month have passed
        (date(2026, 11, 11), True),  # orglife_plan_due_days = 10
        (date(2026, 11, 30), True),
    ],
)
def test_a_plan_is_missing_from_ten_days_into_the_month(world, today, due) -> None:
    assert (world.cs_branch.pk in _missing(today)) == due


@pytest.mark.parametrize(
    ("kind", "start", "status", "covered"),
    [
        ("month", date(2026, 11, 1), "submitted", True),
        ("month", date(2026, 11, 1), "approved", True),
        ("month", date(2026, 11, 1), "draft", False),
        ("month", date(2026, 11, 1), "returned", False),
        ("month", date(2026, 10, 1), "approved", False),  # last month's
        ("quarter", date(2026, 10, 1), "approved", True),  # Q4 covers November
        ("quarter", date(2026, 7, 1), "approved", False),
        ("year", date(2026, 1, 1), "submitted", True),
    ],
)
def test_a_submitted_or_approved_plan_covering_today_answers(world, kind, start, status, covered) -> None:
    _plan(world.cs_branch, kind, start, status)
    assert (world.cs_branch.pk not in _missing()) == covered


def test_the_plan_finding_is_a_notice_per_branch_and_month_and_skips_inactive_branches(world) -> None:
    Organization.objects.filter(pk=world.fl_branch.pk).update(is_active=False)
    found = {x.organization_id: x for x in plan_findings(TODAY)}
    assert set(found) == {world.cs_branch.pk, world.cs_branch2.pk}  # branches only, active only
    x = found[world.cs_branch.pk]
    assert (x.key, x.level) == (f"org:{world.cs_branch.pk}:plan:2026-11", "notice")
    assert "计算机学院教工第一党支部 尚未提交 2026-11 的组织生活计划" in x.summary
    assert x.url == f"/orglife/plans/?org={world.cs_branch.pk}"
    assert plan_missing_count(Scope.system(), TODAY) == 2
    assert plan_missing_count(Scope.system(), date(2026, 11, 3)) == 0


@pytest.mark.parametrize("cases", [3, 30])
def test_plan_findings_take_one_query(world, cases, django_assert_max_num_queries) -> None:
    for i in range(cases - 3):  # the world has three branches
        f.org(world.cs, "branch", f"支部{i}")
    with django_assert_max_num_queries(1):
        found = list(plan_findings(TODAY))
    assert len(found) == cases
    assert [x.key for x in plan_findings(TODAY)] == [x.key for x in found]


# ---- 督查问题整改超期 -------------------------------------------------------------------------------


@pytest.fixture
def feedback(world, make_meeting) -> Feedback:
    meeting = make_meeting("theme_day", day=date(2026, 9, 10), topic="主题党日")
    supervisor = Supervisor.objects.create(person=world.fl_member, home_org=world.fl_branch)
    draw = Draw.objects.create(
        scope_org=world.cs, period_from=date(2026, 9, 1), period_to=date(2026, 9, 30), seed=1
    )
    assignment = Assignment.objects.create(draw=draw, meeting=meeting, supervisor=supervisor, status="filed")
    return Feedback.objects.create(assignment=assignment)


@pytest.mark.parametrize(
    ("rectify_by", "status", "overdue"),
    [
        (date(2026, 11, 19), "open", True),
        (date(2026, 11, 20), "open", False),  # due today: not yet late
        (date(2026, 12, 1), "open", False),
        (date(2026, 11, 1), "answered", False),
        (None, "open", False),
    ],
)
def test_a_problem_open_after_its_deadline_is_a_warning(world, feedback, rectify_by, status, overdue) -> None:
    problem = Problem.objects.create(
        feedback=feedback, description="会议记录缺少决议", rectify_by=rectify_by, status=status
    )
    found = list(problem_findings(TODAY))
    assert bool(found) == overdue
    assert problem_overdue_count(Scope.system(), TODAY) == int(overdue)
    if overdue:
        [x] = found
        assert (x.key, x.level, x.organization_id) == (f"problem:{problem.pk}", "warning", world.cs_branch.pk)
        assert "会议记录缺少决议" in x.summary and "2026-11-19" in x.summary
        assert x.url == f"/orglife/supervision/problems/?org={world.cs_branch.pk}&status=open&overdue=1"


@pytest.mark.parametrize("cases", [3, 30])
def test_problem_findings_take_one_query(world, feedback, cases, django_assert_max_num_queries) -> None:
    Problem.objects.bulk_create(
        [
            Problem(feedback=feedback, description=f"问题{i}", rectify_by=date(2026, 10, 1))
            for i in range(cases)
        ]
    )
    with django_assert_max_num_queries(1):
        found = list(problem_findings(TODAY))
    assert len(found) == cases
    assert [x.key for x in problem_findings(TODAY)] == [x.key for x in found]


# ---- the last organizational life attended --------------------------------------------------------


def test_the_last_attendance_is_the_latest_held_meeting_the_person_was_present_at(
    world, make_meeting
) -> None:
    def held(day: date, status: str = MeetingStatus.CLOSED):
        meeting = make_meeting("assembly", day=day)
        meeting.status = status
        meeting.save(update_fields=["status"])
        return meeting

    def mark(meeting, person, attendance) -> None:
        Attendee.objects.filter(meeting=meeting, person=person).update(attendance=attendance)

    early, late = held(date(2026, 3, 5)), held(date(2026, 6, 9), MeetingStatus.HELD)
    absent, cancelled = held(date(2026, 8, 1)), held(date(2026, 9, 1), MeetingStatus.CANCELLED)
    for m in (early, late, absent, cancelled):
        mark(m, world.secretary, Attendance.PRESENT)
    mark(early, world.member, Attendance.PRESENT)
    mark(late, world.member, Attendance.LEAVE)  # on leave is no contact
    mark(absent, world.member, Attendance.ABSENT)
    mark(absent, world.secretary, Attendance.ABSENT)
    found = dict(last_attended())
    assert found[world.member.pk] == date(2026, 3, 5)
    assert found[world.secretary.pk] == date(2026, 6, 9)
    assert hooks.last_contacts.get("orglife.attended").last_dates is last_attended
