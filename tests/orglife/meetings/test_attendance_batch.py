"""Batch attendance: the host ticks several attendees and marks them 出席 / 请假 / 缺席 at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import RuleViolation, StaleState
from dangjian.orglife.meetings import services
from dangjian.orglife.models import Attendance, Attendee, MeetingStatus
from tests import factories as f

SYSTEM = Scope.system()
START = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)  # 14:30 in Shanghai: the meeting's start


def _ids(meeting) -> list[int]:
    return list(Attendee.objects.filter(meeting=meeting).values_list("person_id", flat=True))


def _state(meeting) -> dict[int, str]:
    return dict(Attendee.objects.filter(meeting=meeting).values_list("person_id", "attendance"))


def test_the_secretary_marks_several_present_at_once_each_row_audited(
    world, make_meeting, login, branch_secretary
) -> None:
    meeting = make_meeting()
    ids = _ids(meeting)
    client = login(branch_secretary)
    with time_machine.travel(START, tick=False):
        response = client.post(
            reverse("orglife:attendance_batch", args=[meeting.pk]),
            {"person": ids, "attendance": "present", "expected_status": "planned"},
        )
    assert response.status_code == 302
    assert set(_state(meeting).values()) == {Attendance.PRESENT}
    assert AuditEvent.objects.filter(action="orglife.check_in").count() == len(ids)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


def test_a_double_submit_changes_and_audits_nothing_more(
    world, make_meeting, login, branch_secretary
) -> None:
    meeting = make_meeting()
    ids = _ids(meeting)[:2]
    client = login(branch_secretary)
    data = {"person": ids, "attendance": "leave", "expected_status": "planned"}
    with time_machine.travel(START - timedelta(days=1), tick=False):
        client.post(reverse("orglife:attendance_batch", args=[meeting.pk]), data)
        client.post(reverse("orglife:attendance_batch", args=[meeting.pk]), data)
    assert AuditEvent.objects.filter(action="orglife.attendance_mark").count() == 2
    assert [_state(meeting)[pk] for pk in ids] == [Attendance.LEAVE, Attendance.LEAVE]


def test_absent_only_once_the_meeting_has_begun_with_a_chinese_reason(world, make_meeting) -> None:
    meeting = make_meeting()
    ids = _ids(meeting)
    with (
        time_machine.travel(START - timedelta(minutes=5), tick=False),
        pytest.raises(RuleViolation, match="开始后才能记为缺席"),
    ):
        services.attendance_mark(
            actor=None, scope=SYSTEM, meeting=meeting, person_ids=ids, attendance="absent"
        )
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        n = services.attendance_mark(
            actor=None, scope=SYSTEM, meeting=meeting, person_ids=ids[:1], attendance="absent"
        )
    assert n == 1 and _state(meeting)[ids[0]] == Attendance.ABSENT


def test_present_before_the_window_opens_is_refused(world, make_meeting) -> None:
    meeting = make_meeting()
    with (
        time_machine.travel(START - timedelta(hours=2), tick=False),
        pytest.raises(RuleViolation, match="会议尚未开始"),
    ):
        services.attendance_mark(
            actor=None, scope=SYSTEM, meeting=meeting, person_ids=_ids(meeting), attendance="present"
        )


def test_a_person_not_on_the_list_refuses_the_whole_batch(world, make_meeting) -> None:
    meeting = make_meeting()
    ids = [*_ids(meeting), world.fl_member.pk]
    with pytest.raises(RuleViolation, match="不在本次会议的参会名单中"):
        services.attendance_mark(
            actor=None, scope=SYSTEM, meeting=meeting, person_ids=ids, attendance="leave"
        )
    assert set(_state(meeting).values()) == {Attendance.EXPECTED}


@pytest.mark.parametrize("value", ["", "expected", "nonsense"])
def test_a_bad_attendance_value_is_refused_in_chinese(world, make_meeting, value) -> None:
    meeting = make_meeting()
    with pytest.raises(RuleViolation, match="出勤状态不正确"):
        services.attendance_mark(
            actor=None, scope=SYSTEM, meeting=meeting, person_ids=_ids(meeting), attendance=value
        )


def test_nothing_ticked_is_a_clear_message(world, make_meeting, login, branch_secretary) -> None:
    meeting = make_meeting()
    response = login(branch_secretary).post(
        reverse("orglife:attendance_batch", args=[meeting.pk]),
        {"attendance": "leave", "expected_status": "planned"},
        follow=True,
    )
    assert "请先勾选参会人员" in response.content.decode()


def test_a_stale_page_is_refused(world, make_meeting) -> None:
    meeting = make_meeting()
    services.meeting_cancel(actor=None, scope=SYSTEM, meeting=meeting, reason="改期")
    with pytest.raises(StaleState):
        services.attendance_mark(
            actor=None,
            scope=SYSTEM,
            meeting=meeting,
            person_ids=_ids(meeting),
            attendance="leave",
            expected_status="planned",
        )


def test_a_closed_meeting_goes_through_a_correction(world, make_meeting) -> None:
    meeting = make_meeting()
    with time_machine.travel(START + timedelta(hours=3), tick=False):
        services.minutes_record(
            actor=None, scope=SYSTEM, meeting=meeting, host=None, recorder=None, content="x"
        )
        services.meeting_close(actor=None, scope=SYSTEM, meeting=meeting)
        with pytest.raises(RuleViolation, match="纪要更正"):
            services.attendance_mark(
                actor=None, scope=SYSTEM, meeting=meeting, person_ids=_ids(meeting), attendance="leave"
            )


def test_outsiders_and_plain_members_are_refused(
    world, make_meeting, login, outsider_organizer, member_user
) -> None:
    meeting = make_meeting()
    data = {"person": _ids(meeting), "attendance": "leave", "expected_status": "planned"}
    url = reverse("orglife:attendance_batch", args=[meeting.pk])
    assert login(outsider_organizer).post(url, data).status_code == 404
    assert login(member_user).post(url, data).status_code == 404
    outsider = f.user_for(world.fl_member, "fl_member")
    assert login(outsider).post(url, data).status_code == 404
    assert set(_state(meeting).values()) == {Attendance.EXPECTED}
    assert not AuditEvent.objects.filter(action="orglife.attendance_mark").exists()
