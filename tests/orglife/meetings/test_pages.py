"""组织生活 pages: a branch plans, notifies, checks in and records minutes in the browser; a member asks for
leave; the committee above reviews; outsiders get 404 on every mutating endpoint; bounded queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.orglife.meetings import services
from dangjian.orglife.models import (
    Attendance,
    Attendee,
    LeaveRequest,
    Meeting,
    MeetingAttachment,
    MeetingStatus,
    Plan,
    PlanStatus,
)
from tests import factories as f

SYSTEM = Scope.system()  # the platform itself: every check passes

START = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)


def test_a_secretary_plans_a_month_and_the_college_approves_it(
    world, login, branch_secretary, college_organizer
) -> None:
    client = login(branch_secretary)
    response = client.post(
        reverse("orglife:plan_new") + f"?org={world.cs_branch.pk}",
        {"period_kind": "month", "period": "2026-12", "note": ""},
    )
    plan = Plan.objects.get()
    assert response.url == reverse("orglife:plan", args=[plan.pk])
    assert "缺少" in client.get(response.url).content.decode()
    response = client.post(
        reverse("orglife:meeting_new") + f"?org={world.cs_branch.pk}&plan={plan.pk}",
        {
            "kind": "theme_day",
            "topic": "主题党日：志愿服务",
            "date": "2026-12-05",
            "start_time": "09:00",
            "duration_minutes": "120",
            "place": "图书馆",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Meeting.objects.get().plan == plan
    client.post(
        reverse("orglife:plan_action", args=[plan.pk, "submit"]),
        {"expected_status": "draft", "shortfall_reason": "主题党日之外的会议下月补"},
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    reviewer = login(college_organizer)
    assert "待审核" in reviewer.get(reverse("orglife:plans")).content.decode()
    page = reviewer.get(reverse("orglife:plan", args=[plan.pk])).content.decode()
    assert "退回修改" in page
    reviewer.post(
        reverse("orglife:plan_action", args=[plan.pk, "return"]),
        {"reason": "请补充党小组会", "expected_status": "submitted"},
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    assert "请补充党小组会" in client.get(reverse("orglife:plan", args=[plan.pk])).content.decode()


def test_the_branch_cannot_approve_its_own_plan(world, login, branch_secretary) -> None:
    plan = services.plan_create(
        actor=None, scope=SYSTEM, org=world.cs_branch, period_kind="month", day=date(2026, 12, 1)
    )
    assert (
        login(branch_secretary).post(reverse("orglife:plan_action", args=[plan.pk, "approve"])).status_code
        == 404
    )


def test_a_member_sees_the_meeting_and_asks_for_leave(world, make_meeting, login, member_user) -> None:
    meeting = make_meeting(day=date(2026, 12, 2))
    client = login(member_user)
    with time_machine.travel(START, tick=False):
        home = client.get(reverse("orglife:home")).content.decode()
        assert meeting.topic in home
        page = client.get(reverse("orglife:meeting", args=[meeting.pk])).content.decode()
        assert "请假" in page
        client.post(
            reverse("orglife:leave_new", args=[meeting.pk]),
            {"reason": "外出开会", "expected_status": "planned"},
        )
    assert LeaveRequest.objects.get().reason == "外出开会"


def test_the_secretary_runs_the_meeting_from_the_browser(
    world, make_meeting, login, branch_secretary
) -> None:
    meeting = make_meeting()
    client = login(branch_secretary)
    with time_machine.travel(START, tick=False):
        client.post(reverse("orglife:meeting_notify", args=[meeting.pk]), {"expected_status": "planned"})
        page = client.get(reverse("orglife:meeting", args=[meeting.pk])).content.decode()
        assert "签到二维码" in page and "标记出席（代签）" in page
        assert 'name="expected_status" value="notified"' in page
        client.post(
            reverse("orglife:checkin_manual", args=[meeting.pk]),
            {"person": [world.member.pk], "expected_status": "notified"},
        )
        zhang = Attendee.objects.get(meeting=meeting, person__name="张伟")
        response = client.post(
            reverse("orglife:minutes", args=[meeting.pk]),
            {
                "host": world.secretary.pk,
                "recorder": world.member.pk,
                "content": "学习讨论",
                "resolutions": "",
                f"absent_{zhang.person_id}": "出差未请假",
                "expected_status": "held",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        client.post(
            reverse("orglife:attachment_add", args=[meeting.pk]),
            {"file": SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 test", content_type="application/pdf")},
        )
    with time_machine.travel(START + timedelta(minutes=90), tick=False):
        confirm = client.get(reverse("orglife:meeting_close", args=[meeting.pk])).content.decode()
        assert "张伟" in confirm and "归档后将记为缺席" in confirm and "确认归档" in confirm
        client.post(reverse("orglife:meeting_close", args=[meeting.pk]), {"expected_status": "minuted"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED
    zhang.refresh_from_db()
    assert (zhang.attendance, zhang.absence_reason) == (Attendance.ABSENT, "出差未请假")
    host = Attendee.objects.get(meeting=meeting, person=world.secretary)
    assert host.attendance == Attendance.PRESENT  # the host was there, scanned or not
    attachment = MeetingAttachment.objects.get()
    assert client.get(reverse("orglife:attachment", args=[meeting.pk, attachment.pk])).status_code == 200
    page = client.get(reverse("orglife:meeting", args=[meeting.pk])).content.decode()
    assert "更正纪要" in page and "学习讨论" in page
    refused = client.post(
        reverse("orglife:minutes_correct", args=[meeting.pk]), {"reason": "", "content": "x"}
    )
    assert refused.status_code == 200 and meeting.minutes.corrections.count() == 0


def test_the_meetings_list_filters_by_month_and_kind(world, make_meeting, login, college_organizer) -> None:
    make_meeting("assembly", day=date(2026, 11, 3), topic="十一月大会")
    make_meeting("theme_day", day=date(2026, 10, 3), topic="十月主题党日")
    client = login(college_organizer)
    page = client.get(
        reverse("orglife:meetings") + f"?org={world.cs_branch.pk}&month=2026-11"
    ).content.decode()
    assert "十一月大会" in page and "十月主题党日" not in page
    page = client.get(reverse("orglife:meetings") + "?kind=theme_day").content.decode()
    assert "十月主题党日" in page and "十一月大会" not in page


def test_a_member_cannot_open_another_branchs_meeting(world, make_meeting, login) -> None:
    meeting = make_meeting()
    outsider = f.user_for(world.fl_member, "fl_member")
    assert login(outsider).get(reverse("orglife:meeting", args=[meeting.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("orglife:meeting_edit", {"topic": "x"}),
        ("orglife:meeting_notify", {}),
        ("orglife:meeting_cancel", {"reason": "x"}),
        ("orglife:meeting_invite", {}),
        ("orglife:leave_new", {"reason": "x"}),
        ("orglife:checkin_manual", {}),
        ("orglife:minutes", {"content": "x"}),
        ("orglife:meeting_close", {}),
        ("orglife:minutes_correct", {"reason": "x"}),
        ("orglife:attachment_add", {}),
        ("orglife:checkin_screen", {}),
    ],
)
def test_outsiders_get_404_on_every_meeting_action(
    world, make_meeting, login, outsider_organizer, name, data
) -> None:
    meeting = make_meeting()
    response = login(outsider_organizer).post(reverse(name, args=[meeting.pk]), data)
    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and meeting.topic != "x"


def test_outsiders_get_404_on_leave_decisions_plans_and_new_meetings(
    world, make_meeting, login, outsider_organizer
) -> None:
    meeting = make_meeting(day=date(2026, 12, 2))
    with time_machine.travel(START, tick=False):
        leave = services.leave_request(actor=None, person=world.member, meeting=meeting, reason="出差")
    plan = services.plan_create(
        actor=None, scope=SYSTEM, org=world.cs_branch, period_kind="month", day=date(2026, 12, 1)
    )
    client = login(outsider_organizer)
    assert (
        client.post(
            reverse("orglife:leave_decide", args=[meeting.pk, leave.pk]), {"decision": "approve"}
        ).status_code
        == 404
    )
    for action in ("submit", "approve", "return"):
        assert (
            client.post(reverse("orglife:plan_action", args=[plan.pk, action]), {"reason": "x"}).status_code
            == 404
        )
    assert (
        client.post(
            reverse("orglife:plan_new") + f"?org={world.cs_branch.pk}",
            {"period_kind": "month", "period": "2027-01"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("orglife:meeting_new") + f"?org={world.cs_branch.pk}", {"kind": "assembly", "topic": "x"}
        ).status_code
        == 404
    )
    assert client.get(reverse("orglife:plan", args=[plan.pk])).status_code == 404
    leave.refresh_from_db()
    assert leave.status == "pending" and Plan.objects.get().status == PlanStatus.DRAFT


def test_the_meetings_list_and_a_meeting_use_a_bounded_number_of_queries(
    world, make_meeting, login, branch_secretary, django_assert_max_num_queries
) -> None:
    for i in range(3):
        f.member(world.cs_branch, f"党员{i}")
    meetings = [make_meeting(day=date(2026, 11, d), topic=f"会议{d}") for d in range(1, 13)]
    client = login(branch_secretary)
    client.get(reverse("orglife:meetings"))  # warm the session and scope caches
    with django_assert_max_num_queries(10):
        assert client.get(reverse("orglife:meetings")).status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get(reverse("orglife:meeting", args=[meetings[0].pk])).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("orglife:home")).status_code == 200


def test_the_plan_page_uses_a_bounded_number_of_queries(
    world, make_meeting, login, college_organizer, django_assert_max_num_queries
) -> None:
    plan = services.plan_create(
        actor=None, scope=SYSTEM, org=world.cs_branch, period_kind="year", day=date(2026, 1, 1)
    )
    for d in range(1, 13):
        make_meeting(day=date(2026, d, 10), topic=f"会议{d}", plan=plan)
    client = login(college_organizer)
    client.get(reverse("orglife:plan", args=[plan.pk]))  # warm the session and scope caches
    with django_assert_max_num_queries(14):
        page = client.get(reverse("orglife:plan", args=[plan.pk]))
    assert page.status_code == 200 and "会议12" in page.content.decode()


def test_a_school_wide_admin_without_an_org_sees_every_meeting(world, make_meeting, login) -> None:
    from dangjian.accounts.roles import Role

    admin = f.user_for(None, "root_admin", (Role.SCHOOL_ADMIN, None))
    meeting = make_meeting()
    assert login(admin).get(reverse("orglife:meeting", args=[meeting.pk])).status_code == 200


def test_a_month_far_away_is_refused_quietly(world, login, college_organizer) -> None:
    response = login(college_organizer).get(reverse("orglife:meetings") + "?month=9999-12")
    assert response.status_code == 200


def test_an_attachment_whose_content_is_not_its_type_is_refused(
    world, make_meeting, login, branch_secretary
) -> None:
    meeting = make_meeting()
    response = login(branch_secretary).post(
        reverse("orglife:attachment_add", args=[meeting.pk]),
        {"file": SimpleUploadedFile("照片.jpg", b"MZ not a picture", content_type="image/jpeg")},
        follow=True,
    )
    assert "文件内容与扩展名“.jpg”不符" in response.content.decode()
    assert not MeetingAttachment.objects.exists()
