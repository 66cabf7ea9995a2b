"""组织生活 services: plans and their review, who attends, leave, minutes and their corrections, audit."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.core.models import Cadre, Membership
from dangjian.kit.errors import RuleViolation
from dangjian.orglife.meetings import checkin, selectors, services
from dangjian.orglife.models import (
    Attendance,
    Attendee,
    AttendeeRole,
    LeaveStatus,
    MeetingStatus,
    MinutesCorrection,
    PlanStatus,
)
from dangjian.workbench.models import Notification
from tests import factories as f

SYSTEM = Scope.system()  # the platform itself: every check passes

START = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)  # 14:30 in Shanghai


def _states(plan):
    return {r.kind: r.state for r in selectors.plan_check(plan)}


def test_a_month_plan_shows_what_is_missing_and_goes_through_review(world) -> None:
    plan = services.plan_create(
        actor=None, scope=SYSTEM, org=world.cs_branch, period_kind="month", day=date(2026, 12, 5)
    )
    assert plan.period_start == date(2026, 12, 1)
    states = _states(plan)
    assert states["theme_day"] == "missing"
    assert states["committee"] == "na"  # three full members: no committee required (fewer than 7)
    assert states["group"] == "missing"  # the branch has a 党小组
    assert states["assembly"] == "missing"  # December closes the quarter
    with pytest.raises(RuleViolation):
        services.plan_submit(actor=None, scope=SYSTEM, plan=plan)  # no meetings yet
    for kind, extra in [("theme_day", {}), ("group", {"group": world.cs_group}), ("assembly", {})]:
        services.meeting_create(
            actor=None,
            scope=SYSTEM,
            org=world.cs_branch,
            kind=kind,
            topic="t",
            day=date(2026, 12, 10),
            start_time=time(14, 30),
            plan=plan,
            **extra,
        )
    states = _states(plan)
    assert states["theme_day"] == states["group"] == states["assembly"] == "ok"
    services.plan_submit(actor=None, scope=SYSTEM, plan=plan, shortfall_reason="党课另行安排")
    with pytest.raises(RuleViolation):
        services.plan_return(actor=None, scope=SYSTEM, plan=plan, reason=" ")
    services.plan_return(actor=None, scope=SYSTEM, plan=plan, reason="党课未安排")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.review_note == "党课未安排"
    services.plan_submit(actor=None, scope=SYSTEM, plan=plan, shortfall_reason="党课另行安排")
    services.plan_approve(actor=None, scope=SYSTEM, plan=plan, shortfall_reason="同意")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.revision >= 1
    actions = list(
        AuditEvent.objects.filter(action__startswith="orglife.plan").values_list("action", flat=True)
    )
    assert actions.count("orglife.plan_submit") == 2 and "orglife.plan_return" in actions


def test_an_approved_plan_takes_no_more_meetings(world) -> None:
    plan = services.plan_create(
        actor=None, scope=SYSTEM, org=world.cs_branch, period_kind="month", day=date(2026, 12, 1)
    )
    services.meeting_create(
        actor=None,
        scope=SYSTEM,
        org=world.cs_branch,
        kind="theme_day",
        topic="t",
        day=date(2026, 12, 3),
        start_time=time(9),
        plan=plan,
    )
    services.plan_submit(actor=None, scope=SYSTEM, plan=plan, shortfall_reason="x")
    services.plan_approve(actor=None, scope=SYSTEM, plan=plan, shortfall_reason="x")
    with pytest.raises(RuleViolation):
        services.meeting_create(
            actor=None,
            scope=SYSTEM,
            org=world.cs_branch,
            kind="theme_day",
            topic="t2",
            day=date(2026, 12, 4),
            start_time=time(9),
            plan=plan,
        )


def test_one_plan_per_branch_and_period(world) -> None:
    services.plan_create(
        actor=None, scope=SYSTEM, org=world.cs_branch, period_kind="quarter", day=date(2027, 1, 1)
    )
    with pytest.raises(RuleViolation):
        services.plan_create(
            actor=None, scope=SYSTEM, org=world.cs_branch, period_kind="quarter", day=date(2027, 2, 1)
        )


def test_a_meeting_date_outside_the_plan_period_is_refused(world) -> None:
    plan = services.plan_create(
        actor=None, scope=SYSTEM, org=world.cs_branch, period_kind="month", day=date(2026, 12, 1)
    )
    with pytest.raises(RuleViolation) as exc:
        services.meeting_create(
            actor=None,
            scope=SYSTEM,
            org=world.cs_branch,
            kind="theme_day",
            topic="t",
            day=date(2027, 1, 3),
            start_time=time(9),
            plan=plan,
        )
    assert exc.value.field == "date"


def test_attendees_are_the_branch_members_plus_cadres_doing_dual_life(world, make_meeting) -> None:
    cadre = f.member(world.cs_branch2, "刘处长")
    Cadre.objects.create(
        person=cadre, post="处长", rank="director", unit="组织部", dual_life_branch=world.cs_branch
    )
    meeting = make_meeting("assembly")
    rows = dict(Attendee.objects.filter(meeting=meeting).values_list("person__name", "role"))
    assert rows == {
        "王建国": "member",
        "李晓红": "member",
        "张伟": "member",
        "刘处长": AttendeeRole.DUAL_LIFE,
    }
    assert meeting.ad_hoc


def test_a_group_meeting_is_for_the_groups_members_and_a_committee_meeting_for_the_committee(
    world, make_meeting
) -> None:
    Membership.objects.filter(person=world.member).update(group=world.cs_group)
    group_meeting = make_meeting("group", group=world.cs_group)
    assert list(Attendee.objects.filter(meeting=group_meeting).values_list("person__name", flat=True)) == [
        "李晓红"
    ]
    committee = make_meeting("committee")
    assert list(Attendee.objects.filter(meeting=committee).values_list("person__name", flat=True)) == [
        "王建国"
    ]


def test_a_lecture_needs_its_speaker(world, make_meeting) -> None:
    with pytest.raises(RuleViolation) as exc:
        make_meeting("lecture")
    assert exc.value.field == "speaker"
    assert make_meeting("lecture", speaker=world.secretary).speaker == world.secretary


def test_leave_before_the_meeting_approved_by_the_branch(world, make_meeting, member_user) -> None:
    meeting = make_meeting()
    with time_machine.travel(datetime(2026, 11, 23, 2, 0, tzinfo=UTC), tick=False):
        services.meeting_notify(actor=None, scope=SYSTEM, meeting=meeting)
        assert Notification.objects.filter(
            recipient=member_user, link__contains=f"/meetings/{meeting.pk}/"
        ).exists()
        with pytest.raises(RuleViolation):
            services.leave_request(actor=None, person=world.fl_member, meeting=meeting, reason="出差")
        leave = services.leave_request(actor=None, person=world.member, meeting=meeting, reason="出差")
        with pytest.raises(RuleViolation):
            services.leave_request(actor=None, person=world.member, meeting=meeting, reason="出差")
        services.leave_decide(actor=None, scope=SYSTEM, leave=leave, approve=True)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED
    assert Attendee.objects.get(meeting=meeting, person=world.member).attendance == Attendance.LEAVE
    with time_machine.travel(START, tick=False), pytest.raises(RuleViolation):  # the meeting has begun
        services.leave_request(actor=None, person=world.secretary, meeting=meeting, reason="临时有事")


def test_archiving_marks_the_rest_absent_and_closed_minutes_change_only_by_correction(
    world, make_meeting
) -> None:
    meeting = make_meeting()
    zhang = Attendee.objects.get(meeting=meeting, person__name="张伟").person
    with time_machine.travel(START, tick=False):
        services.checkin_scan(actor=None, person=world.member, token=checkin.make_token(meeting))
        services.checkin_manual(actor=None, scope=SYSTEM, meeting=meeting, people=[world.secretary])
        services.minutes_record(
            actor=None,
            scope=SYSTEM,
            meeting=meeting,
            host=world.secretary,
            recorder=world.member,
            content="传达学习",
            absence_reasons={zhang.pk: "病假未提前请假"},
        )
    att = dict(Attendee.objects.filter(meeting=meeting).values_list("person__name", "attendance"))
    assert att == {"王建国": "present", "李晓红": "present", "张伟": "expected"}  # may still come
    assert Attendee.objects.get(meeting=meeting, person=zhang).absence_reason == "病假未提前请假"
    with time_machine.travel(START + timedelta(minutes=90), tick=False):
        services.meeting_close(actor=None, scope=SYSTEM, meeting=meeting)
    assert Attendee.objects.get(meeting=meeting, person=zhang).attendance == Attendance.ABSENT
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED
    with pytest.raises(RuleViolation) as exc:
        services.minutes_record(
            actor=None, scope=SYSTEM, meeting=meeting, host=None, recorder=None, content="改"
        )
    assert exc.value.code == "minutes_closed"
    with pytest.raises(RuleViolation) as exc:
        services.minutes_correct(
            actor=None, scope=SYSTEM, meeting=meeting, reason="", changes={"content": "改"}
        )
    assert exc.value.field == "reason"
    correction = services.minutes_correct(
        actor=None,
        scope=SYSTEM,
        meeting=meeting,
        reason="补记决议",
        changes={"resolutions": "一致通过"},
        attendance={zhang.pk: Attendance.LEAVE},
    )
    assert correction.before["resolutions"] == "" and correction.after["resolutions"] == "一致通过"
    assert Attendee.objects.get(meeting=meeting, person=zhang).attendance == Attendance.LEAVE
    assert MinutesCorrection.objects.count() == 1
    assert AuditEvent.objects.filter(action="orglife.minutes_correct").exists()


def test_minutes_cannot_be_written_before_the_meeting_day(world, make_meeting) -> None:
    meeting = make_meeting(day=date(2026, 12, 24))
    with time_machine.travel(START, tick=False), pytest.raises(RuleViolation):
        services.minutes_record(
            actor=None, scope=SYSTEM, meeting=meeting, host=None, recorder=None, content="x"
        )


def test_a_branch_cannot_run_another_branchs_meeting(world, make_meeting, outsider_organizer) -> None:
    from dangjian.accounts.scope import resolve_scope

    meeting = make_meeting()
    with pytest.raises(RuleViolation):
        services.meeting_notify(
            actor=outsider_organizer, scope=resolve_scope(outsider_organizer), meeting=meeting
        )
