"""Integrity of 组织生活 (issue 12): every state change carries the state the page showed and is refused
as stale otherwise; minutes once the meeting has begun, archiving only after its end, with a
confirmation listing who will be absent and the host and recorder present; dates of things done not in
the future; links drawn only when the viewer may open them; export links carry the page's filters; a
replayed draw form returns the first draw."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.kit.errors import RuleViolation, StaleState
from dangjian.orglife.meetings import selectors, services
from dangjian.orglife.models import (
    AbsenceWarning,
    Assignment,
    Attendance,
    Attendee,
    CheckinMethod,
    Draw,
    LeaveStatus,
    Meeting,
    MeetingStatus,
    PlanStatus,
    Supervisor,
    WarningStatus,
)
from dangjian.orglife.supervision import services as supervision
from tests import factories as f

SYSTEM = Scope.system()  # the platform itself: every check passes

START = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)  # 14:30 in Shanghai; the meeting lasts 90 minutes
END = START + timedelta(minutes=90)
MINUTE = timedelta(minutes=1)
STALE = "该事项已由他人处理"


def _plan(world, with_meeting: bool = True):
    plan = services.plan_create(
        actor=None, scope=SYSTEM, org=world.cs_branch, period_kind="month", day=date(2026, 11, 1)
    )
    if with_meeting:
        services.meeting_create(
            actor=None,
            scope=SYSTEM,
            org=world.cs_branch,
            kind="assembly",
            topic="计划内党员大会",
            day=date(2026, 11, 24),
            start_time=time(14, 30),
            plan=plan,
        )
    return plan


def _minutes(meeting, **extra):
    return services.minutes_record(
        actor=None,
        scope=SYSTEM,
        meeting=meeting,
        host=extra.pop("host", None),
        recorder=extra.pop("recorder", None),
        content="学习讨论",
        **extra,
    )


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


# ---- expected state -------------------------------------------------------------------------------


def test_every_plan_transition_refuses_a_state_the_user_did_not_see(world) -> None:
    plan = _plan(world)
    with pytest.raises(StaleState) as err:
        services.plan_submit(actor=None, scope=SYSTEM, plan=plan, expected_status="returned")
    assert err.value.status == 409 and err.value.code == "stale"
    services.plan_submit(actor=None, scope=SYSTEM, plan=plan, expected_status="draft", shortfall_reason="x")
    for call in (
        lambda: services.plan_approve(actor=None, scope=SYSTEM, plan=plan, expected_status="draft"),
        lambda: services.plan_return(actor=None, scope=SYSTEM, plan=plan, reason="x", expected_status=""),
        lambda: services.plan_submit(actor=None, scope=SYSTEM, plan=plan, expected_status="draft"),
    ):
        with pytest.raises(StaleState):
            call()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    services.plan_return(actor=None, scope=SYSTEM, plan=plan, reason="补充", expected_status="submitted")
    services.plan_submit(  # resubmit
        actor=None, scope=SYSTEM, plan=plan, expected_status="returned", shortfall_reason="x"
    )
    services.plan_approve(
        actor=None, scope=SYSTEM, plan=plan, expected_status="submitted", shortfall_reason="x"
    )
    plan.refresh_from_db()
    assert (plan.status, plan.revision) == (PlanStatus.APPROVED, 1)


def test_every_meeting_transition_refuses_a_state_the_user_did_not_see(world, make_meeting) -> None:
    meeting = make_meeting()
    calls = [
        lambda seen: services.meeting_notify(actor=None, scope=SYSTEM, meeting=meeting, expected_status=seen),
        lambda seen: services.meeting_update(
            actor=None, scope=SYSTEM, meeting=meeting, topic="新主题", expected_status=seen
        ),
        lambda seen: services.meeting_invite(
            actor=None, scope=SYSTEM, meeting=meeting, people=[], expected_status=seen
        ),
        lambda seen: services.meeting_cancel(
            actor=None, scope=SYSTEM, meeting=meeting, reason="x", expected_status=seen
        ),
        lambda seen: services.meeting_close(actor=None, scope=SYSTEM, meeting=meeting, expected_status=seen),
        lambda seen: services.checkin_manual(
            actor=None, scope=SYSTEM, meeting=meeting, people=[], expected_status=seen
        ),
        lambda seen: _minutes(meeting, expected_status=seen),
        lambda seen: services.minutes_correct(
            actor=None, scope=SYSTEM, meeting=meeting, reason="x", changes={}, expected_status=seen
        ),
    ]
    for call in calls:
        for seen in ("", "closed" if meeting.status != "closed" else "planned"):
            with pytest.raises(StaleState):
                call(seen)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.topic) == (MeetingStatus.PLANNED, "学习党的二十届四中全会精神")


def test_a_check_in_meanwhile_does_not_make_the_hosts_page_stale(world, make_meeting) -> None:
    meeting = make_meeting()
    with time_machine.travel(START, tick=False):
        services.checkin_manual(
            actor=None, scope=SYSTEM, meeting=meeting, people=[world.member], expected_status="planned"
        )  # the meeting is now held; the page still says "planned"
        assert services.checkin_manual(
            actor=None, scope=SYSTEM, meeting=meeting, people=[world.secretary], expected_status="planned"
        )
        _minutes(meeting, expected_status="notified")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTED
    with time_machine.travel(START, tick=False), pytest.raises(StaleState):
        _minutes(meeting, expected_status="held")  # someone else's minutes came first


def test_leave_request_and_decision_refuse_a_stale_state(world, make_meeting) -> None:
    meeting = make_meeting(day=date(2026, 12, 2))
    with time_machine.travel(START, tick=False):
        with pytest.raises(StaleState):
            services.leave_request(
                actor=None, person=world.member, meeting=meeting, reason="出差", expected_status="cancelled"
            )
        leave = services.leave_request(
            actor=None, person=world.member, meeting=meeting, reason="出差", expected_status="planned"
        )
    with pytest.raises(StaleState):
        services.leave_decide(actor=None, scope=SYSTEM, leave=leave, approve=True, expected_status="approved")
    services.leave_decide(actor=None, scope=SYSTEM, leave=leave, approve=True, expected_status="pending")
    with pytest.raises(StaleState):
        services.leave_decide(actor=None, scope=SYSTEM, leave=leave, approve=False, expected_status="pending")
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED


def test_a_web_form_without_the_state_it_showed_changes_nothing(
    world, login, branch_secretary, college_organizer
) -> None:
    plan = _plan(world)
    client = login(branch_secretary)
    page = client.get(reverse("orglife:plan", args=[plan.pk])).content.decode()
    assert 'name="expected_status" value="draft"' in page
    response = client.post(reverse("orglife:plan_action", args=[plan.pk, "submit"]))
    assert STALE in _messages(response)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    client.post(
        reverse("orglife:plan_action", args=[plan.pk, "submit"]),
        {"expected_status": "draft", "shortfall_reason": "x"},
    )
    reviewer = login(college_organizer)
    url = reverse("orglife:plan_action", args=[plan.pk, "approve"])
    assert reviewer.post(url, {"expected_status": "submitted", "shortfall_reason": "x"}).status_code == 302
    again = reviewer.post(url, {"expected_status": "submitted", "shortfall_reason": "x"})  # a double-click
    assert STALE in _messages(again)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_a_stale_form_page_returns_to_the_meeting_with_the_refusal(
    world, make_meeting, login, branch_secretary
) -> None:
    meeting = make_meeting()
    services.meeting_cancel(actor=None, scope=SYSTEM, meeting=meeting, reason="改期")
    response = login(branch_secretary).post(
        reverse("orglife:meeting_cancel", args=[meeting.pk]),
        {"reason": "再取消", "expected_status": "planned"},
    )
    assert response.url == reverse("orglife:meeting", args=[meeting.pk])
    assert STALE in _messages(response)


def test_feedback_answer_availability_and_warning_refuse_a_stale_state(world, make_meeting) -> None:
    meeting = make_meeting(day=date(2026, 11, 10))
    sup = supervision.supervisor_add(actor=None, scope=SYSTEM, person=world.fl_member)
    supervision.draw_run(
        actor=None,
        scope=SYSTEM,
        scope_org=world.cs,
        period_from=date(2026, 11, 1),
        period_to=date(2026, 11, 30),
        n=1,
    )
    task = Assignment.objects.get(meeting=meeting)
    scores = {"procedure": 20, "content": 20, "participation": 20, "records": 20}
    with pytest.raises(StaleState):
        supervision.feedback_file(
            actor=None, scope=SYSTEM, assignment=task, scores=scores, attended=True, expected_status="filed"
        )
    feedback = supervision.feedback_file(
        actor=None,
        scope=SYSTEM,
        assignment=task,
        scores=scores,
        attended=True,
        problems=["签到表未存档"],
        expected_status="assigned",
    )
    problem = feedback.problems.get()
    with pytest.raises(StaleState):
        supervision.problem_answer(
            actor=None,
            scope=SYSTEM,
            problem=problem,
            rectification="补齐",
            rectify_by=date(2026, 11, 29),
            expected_status="answered",
        )
    with pytest.raises(StaleState):
        supervision.supervisor_set_available(
            actor=None, scope=SYSTEM, supervisor=sup, available=False, expected_status="unavailable"
        )
    supervision.supervisor_set_available(
        actor=None, scope=SYSTEM, supervisor=sup, available=False, expected_status="available"
    )
    warning = AbsenceWarning.objects.create(
        person=world.member,
        branch=world.cs_branch,
        window_start=date(2026, 5, 1),
        window_end=date(2026, 10, 31),
    )
    from dangjian.orglife.compliance.warnings import absence_warning_handle

    scope = resolve_scope(f.user_for(world.secretary, "sec"))
    with pytest.raises(StaleState):
        absence_warning_handle(
            actor=None, scope=scope, warning=warning, note="谈话", expected_status="handled"
        )
    absence_warning_handle(actor=None, scope=scope, warning=warning, note="谈话", expected_status="open")
    warning.refresh_from_db()
    assert warning.status == WarningStatus.HANDLED
    assert not Supervisor.objects.get(pk=sup.pk).available


# ---- minutes and archiving ------------------------------------------------------------------------


@pytest.mark.parametrize(("moment", "allowed"), [(START - MINUTE, False), (START, True)])
def test_minutes_only_once_the_meeting_has_begun(world, make_meeting, moment, allowed) -> None:
    meeting = make_meeting()
    with time_machine.travel(moment, tick=False):
        if allowed:
            _minutes(meeting, expected_status="planned")
        else:
            with pytest.raises(RuleViolation) as err:
                _minutes(meeting, expected_status="planned")
            assert err.value.code == "meeting_not_started" and "14:30" in err.value.message
    meeting.refresh_from_db()
    assert (meeting.status == MeetingStatus.MINUTED) is allowed


@pytest.mark.parametrize(("moment", "allowed"), [(END - MINUTE, False), (END, True)])
def test_archiving_only_after_the_meetings_end(world, make_meeting, moment, allowed) -> None:
    meeting = make_meeting()
    with time_machine.travel(START, tick=False):
        _minutes(meeting)
    with time_machine.travel(moment, tick=False):
        if allowed:
            services.meeting_close(actor=None, scope=SYSTEM, meeting=meeting, expected_status="minuted")
        else:
            with pytest.raises(RuleViolation) as err:
                services.meeting_close(actor=None, scope=SYSTEM, meeting=meeting, expected_status="minuted")
            assert err.value.code == "meeting_not_ended" and "16:00" in err.value.message
    meeting.refresh_from_db()
    assert (meeting.status == MeetingStatus.CLOSED) is allowed
    zhang = Attendee.objects.get(meeting=meeting, person__name="张伟")
    assert zhang.attendance == (Attendance.ABSENT if allowed else Attendance.EXPECTED)


def test_the_seen_incident_minutes_before_the_start_lock_nobody_absent(
    world, make_meeting, login, branch_secretary
) -> None:
    """18:57 for a 19:00 meeting: the minutes are refused, and so is archiving; nobody is absent."""
    meeting = make_meeting(at=time(19, 0))
    client = login(branch_secretary)
    with time_machine.travel(datetime(2026, 11, 24, 10, 57, tzinfo=UTC), tick=False):
        page = client.get(reverse("orglife:meeting", args=[meeting.pk])).content.decode()
        assert reverse("orglife:minutes", args=[meeting.pk]) not in page
        response = client.post(
            reverse("orglife:minutes", args=[meeting.pk]),
            {"content": "提前写好", "host": world.secretary.pk, "expected_status": "planned"},
        )
        assert response.status_code == 200 and "会议开始后才能记录纪要" in response.content.decode()
        response = client.post(
            reverse("orglife:meeting_close", args=[meeting.pk]), {"expected_status": "minuted"}
        )
        assert STALE in _messages(response)
    assert not Attendee.objects.filter(meeting=meeting, attendance=Attendance.ABSENT).exists()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


def test_the_host_and_the_recorder_count_as_present_unless_on_leave(world, make_meeting) -> None:
    meeting = make_meeting(day=date(2026, 11, 24))
    with time_machine.travel(START - timedelta(days=1), tick=False):
        leave = services.leave_request(actor=None, person=world.member, meeting=meeting, reason="出差")
        services.leave_decide(actor=None, scope=SYSTEM, leave=leave, approve=True)
    with time_machine.travel(END + MINUTE, tick=False):
        _minutes(meeting, host=world.secretary, recorder=world.member)
    att = dict(Attendee.objects.filter(meeting=meeting).values_list("person__name", "attendance"))
    assert att == {"王建国": "present", "李晓红": "leave", "张伟": "absent"}


def test_the_archive_confirmation_lists_who_will_be_absent(
    world, make_meeting, login, branch_secretary
) -> None:
    meeting = make_meeting()
    extra = f.member(world.cs_branch, "赵刚")
    services.meeting_invite(actor=None, scope=SYSTEM, meeting=meeting, people=[extra])
    with time_machine.travel(START, tick=False):
        services.checkin_manual(actor=None, scope=SYSTEM, meeting=meeting, people=[extra])
        _minutes(meeting, host=world.secretary, recorder=None)
    assert {a.person.name for a in selectors.absent_on_close(meeting)} == {"李晓红", "张伟"}  # not the host
    client = login(branch_secretary)
    with time_machine.travel(END, tick=False):
        detail = client.get(reverse("orglife:meeting", args=[meeting.pk])).content.decode()
        assert f'href="{reverse("orglife:meeting_close", args=[meeting.pk])}"' in detail  # a link, not a post
        page = client.get(reverse("orglife:meeting_close", args=[meeting.pk])).content.decode()
        assert "以下 2 人既未签到也未请假" in page and "张伟" in page and "李晓红" in page
        assert 'name="expected_status" value="minuted"' in page
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.MINUTED  # the page alone changes nothing
        client.post(reverse("orglife:meeting_close", args=[meeting.pk]), {"expected_status": "minuted"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED
    absent = set(
        Attendee.objects.filter(meeting=meeting, attendance=Attendance.ABSENT).values_list(
            "person__name", flat=True
        )
    )
    assert absent == {"李晓红", "张伟"}


def test_the_archive_page_of_a_meeting_without_minutes_says_to_record_them_first(
    world, make_meeting, login, branch_secretary
) -> None:
    meeting = make_meeting()
    with time_machine.travel(END + MINUTE, tick=False):
        page = (
            login(branch_secretary).get(reverse("orglife:meeting_close", args=[meeting.pk])).content.decode()
        )
    assert "请先记录会议纪要，再归档。" in page
    assert "确认归档" not in page


# ---- dates of things done ----------------------------------------------------------------------


@pytest.mark.parametrize(("day", "allowed"), [(date(2026, 11, 29), True), (date(2026, 11, 30), False)])
def test_a_problem_is_answered_as_rectified_on_a_day_not_after_today(
    world, make_meeting, day, allowed
) -> None:
    meeting = make_meeting(day=date(2026, 11, 10))
    supervision.supervisor_add(actor=None, scope=SYSTEM, person=world.fl_member)
    supervision.draw_run(
        actor=None,
        scope=SYSTEM,
        scope_org=world.cs,
        period_from=date(2026, 11, 1),
        period_to=date(2026, 11, 30),
        n=1,
    )
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        feedback = supervision.feedback_file(
            actor=None,
            scope=SYSTEM,
            assignment=Assignment.objects.get(meeting=meeting),
            scores={"procedure": 20, "content": 20, "participation": 20, "records": 20},
            attended=True,
            problems=["签到表未存档"],
        )
    with time_machine.travel("2026-11-29 10:00 +0800", tick=False):
        call = lambda: supervision.problem_answer(  # noqa: E731
            actor=None, scope=SYSTEM, problem=feedback.problems.get(), rectification="补齐", rectify_by=day
        )
        if allowed:
            assert call().status == "answered"
        else:
            with pytest.raises(RuleViolation) as err:
                call()
            assert err.value.code == "date_in_future" and err.value.field == "rectify_by"


def test_supervision_feedback_only_once_the_meeting_has_begun(world, make_meeting) -> None:
    meeting = make_meeting()
    supervision.supervisor_add(actor=None, scope=SYSTEM, person=world.fl_member)
    supervision.draw_run(
        actor=None,
        scope=SYSTEM,
        scope_org=world.cs,
        period_from=date(2026, 11, 1),
        period_to=date(2026, 11, 30),
        n=1,
    )
    task = Assignment.objects.get(meeting=meeting)
    scores = {"procedure": 20, "content": 20, "participation": 20, "records": 20}
    with time_machine.travel(START - MINUTE, tick=False), pytest.raises(RuleViolation, match="尚未开始"):
        supervision.feedback_file(actor=None, scope=SYSTEM, assignment=task, scores=scores, attended=True)
    with time_machine.travel(START, tick=False):
        supervision.feedback_file(actor=None, scope=SYSTEM, assignment=task, scores=scores, attended=True)


# ---- replays ----------------------------------------------------------------------------------------


def test_a_replayed_draw_form_returns_the_first_draw_before_any_other_check(
    world, make_meeting, login, college_organizer
) -> None:
    make_meeting(day=date(2026, 12, 3))
    Supervisor.objects.create(person=world.fl_member, home_org=world.fl_branch)
    client = login(college_organizer)
    data = {
        "scope_org": world.cs.pk,
        "period_from": "2026-12-01",
        "period_to": "2026-12-31",
        "n": "1",
        "idempotency_key": "r" * 32,
    }
    first = client.post(reverse("orglife:sup_draw_new"), data)
    draw = Draw.objects.get()
    assert first.url == reverse("orglife:sup_draw", args=[draw.pk])
    # The only meeting is drawn now, so a fresh draw would fail; and the replay also lost a field.
    second = client.post(reverse("orglife:sup_draw_new"), {**data, "n": ""})
    assert second.status_code == 302 and second.url == first.url
    assert Draw.objects.count() == 1
    other = client.post(reverse("orglife:sup_draw_new"), {**data, "idempotency_key": "s" * 32})
    assert other.status_code == 200 and "没有可抽查的会议" in other.content.decode()


# ---- links and exports ----------------------------------------------------------------------------


def _orglife_hrefs(html: str) -> set[str]:
    return {h.replace("&amp;", "&") for h in re.findall(r'href="(/orglife/[^"]*)"', html)}


def test_a_member_meets_no_orglife_link_that_answers_404(world, login, member_user) -> None:
    plan = _plan(world)
    meeting = plan.meetings.get()
    client = login(member_user)
    assert client.get(reverse("orglife:plan", args=[plan.pk])).status_code == 404  # not theirs to see
    hrefs: set[str] = set()
    with time_machine.travel(START - timedelta(days=1), tick=False):
        for url in (reverse("orglife:home"), reverse("orglife:meeting", args=[meeting.pk]), "/"):
            response = client.get(url, follow=True)
            assert response.status_code == 200
            hrefs |= _orglife_hrefs(response.content.decode())
        assert reverse("orglife:meeting", args=[meeting.pk]) in hrefs
        assert reverse("orglife:plan", args=[plan.pk]) not in hrefs
        for href in sorted(hrefs):
            assert client.get(href).status_code != 404, href


def test_the_college_sees_the_plan_link_on_the_meeting_page(world, login, college_organizer) -> None:
    plan = _plan(world)
    page = (
        login(college_organizer)
        .get(reverse("orglife:meeting", args=[plan.meetings.get().pk]))
        .content.decode()
    )
    assert reverse("orglife:plan", args=[plan.pk]) in page


@pytest.mark.parametrize(
    ("page", "export"),
    [
        ("orglife:stats_matrix", "orglife:stats_matrix_export"),
        ("orglife:stats_matrix", "orglife:stats_meetings_export"),
        ("orglife:stats_attendance", "orglife:stats_attendance_export"),
    ],
)
def test_export_links_carry_the_pages_filters(world, login, college_organizer, page, export) -> None:
    query = f"org={world.cs_branch.pk}&year=2025&page=2"
    html = login(college_organizer).get(reverse(page) + "?" + query).content.decode().replace("&amp;", "&")
    assert f'href="{reverse(export)}?org={world.cs_branch.pk}&year=2025"' in html


def test_the_report_export_links_carry_the_reports_filters(world, login, college_organizer) -> None:
    query = f"org={world.cs.pk}&period_from=2026-01-01&period_to=2026-03-31"
    html = login(college_organizer).get(reverse("orglife:sup_report") + "?" + query).content.decode()
    html = html.replace("&amp;", "&")
    assert f'href="{reverse("orglife:sup_report_xlsx")}?{query}"' in html


def test_the_notice_going_out_meanwhile_does_not_refuse_a_members_leave(world, make_meeting) -> None:
    meeting = make_meeting(day=date(2026, 12, 2))
    with time_machine.travel(START, tick=False):
        services.meeting_notify(actor=None, scope=SYSTEM, meeting=meeting, expected_status="planned")
        leave = services.leave_request(
            actor=None, person=world.member, meeting=meeting, reason="出差", expected_status="planned"
        )
    assert leave.status == LeaveStatus.PENDING


def test_a_check_in_that_read_the_meeting_before_it_was_archived_changes_nothing(world, make_meeting) -> None:
    """The scan looked at the meeting before the archive committed; under the attendee lock it reads
    the meeting again, so an archived absence is changed only through 更正纪要."""
    meeting = make_meeting()
    with time_machine.travel(END + MINUTE, tick=False):
        _minutes(meeting, host=world.secretary, recorder=None)
        seen_before_archive = Meeting.objects.get(pk=meeting.pk)
        services.meeting_close(actor=None, scope=SYSTEM, meeting=meeting)
        with pytest.raises(RuleViolation) as exc:
            services._check_in(None, seen_before_archive, world.member, CheckinMethod.QR, END + MINUTE)
    assert exc.value.code == "checkin_closed"
    member = Attendee.objects.get(meeting=meeting, person=world.member)
    assert member.attendance == Attendance.ABSENT
