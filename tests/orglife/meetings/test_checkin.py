"""QR check-in: the signed rotating code, its window edges, replay, forgery, another meeting's code, a
person who is not an attendee, the manual check-in, and the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.kit.errors import RuleViolation
from dangjian.orglife.meetings import checkin, services
from dangjian.orglife.models import Attendance, Attendee, MeetingStatus
from tests import factories as f

SYSTEM = Scope.system()  # the platform itself: every check passes

# The fixture meeting starts at 14:30 on 2026-11-24 (Asia/Shanghai); the window is 14:00–15:30.
START = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)


@pytest.fixture
def meeting(world, make_meeting):
    return make_meeting()


def _scan(meeting, person, at: datetime, shown_at: datetime | None = None, **kw):
    token = checkin.make_token(meeting, shown_at or at)
    return services.checkin_scan(actor=None, person=person, token=token, now=at, **kw)


@pytest.mark.parametrize(
    ("offset_minutes", "ok"),
    [(-31, False), (-30, True), (0, True), (60, True), (61, False)],
)
def test_the_check_in_window_runs_from_30_minutes_before_to_60_after(
    world, meeting, offset_minutes, ok
) -> None:
    at = START + timedelta(minutes=offset_minutes)
    if ok:
        attendee, created = _scan(meeting, world.member, at)
        assert created and attendee.attendance == Attendance.PRESENT
    else:
        with pytest.raises(RuleViolation) as exc:
            _scan(meeting, world.member, at)
        assert exc.value.code == "checkin_closed"


def test_a_second_scan_answers_already_and_changes_nothing(world, meeting) -> None:
    first, created = _scan(meeting, world.member, START)
    again, created_again = _scan(meeting, world.member, START + timedelta(minutes=5))
    assert created and not created_again
    assert again.checked_in_at == first.checked_in_at
    assert Attendee.objects.filter(meeting=meeting, attendance=Attendance.PRESENT).count() == 1


def test_the_first_check_in_marks_the_meeting_held(world, meeting) -> None:
    _scan(meeting, world.member, START)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


@pytest.mark.parametrize(
    ("age_seconds", "ok"), [(0, True), (120, True), (150 - 1, True), (150 + 30, False), (-60, False)]
)
def test_a_code_is_accepted_for_its_validity_only(world, meeting, age_seconds, ok) -> None:
    shown = START
    at = shown + timedelta(seconds=age_seconds)
    if ok:
        assert _scan(meeting, world.member, at, shown_at=shown)[1]
    else:
        with pytest.raises(RuleViolation) as exc:
            _scan(meeting, world.member, at, shown_at=shown)
        assert exc.value.code == "checkin_expired"


@pytest.mark.parametrize("token", ["", "abc", "eyJtIjoxfQ:forged:signature"])
def test_a_forged_code_is_refused(world, meeting, token) -> None:
    with pytest.raises(RuleViolation) as exc:
        services.checkin_scan(actor=None, person=world.member, token=token, now=START)
    assert exc.value.code == "checkin_invalid"
    assert "无效" in exc.value.message


def test_a_code_signed_with_another_key_is_refused(world, meeting, settings) -> None:
    token = checkin.make_token(meeting, START)
    settings.SECRET_KEY = "another-key-" + "x" * 50
    with pytest.raises(RuleViolation) as exc:
        services.checkin_scan(actor=None, person=world.member, token=token, now=START)
    assert exc.value.code == "checkin_invalid"


def test_another_meetings_code_is_refused_for_this_meeting(world, meeting, make_meeting) -> None:
    other = make_meeting(topic="另一次会议")
    with pytest.raises(RuleViolation) as exc:
        _scan(other, world.member, START, meeting_id=meeting.pk)
    assert exc.value.code == "checkin_wrong_meeting"


def test_a_person_who_is_not_an_attendee_is_refused(world, meeting) -> None:
    with pytest.raises(RuleViolation) as exc:
        _scan(meeting, world.fl_member, START)
    assert exc.value.code == "checkin_not_attendee"
    assert not Attendee.objects.filter(meeting=meeting, person=world.fl_member).exists()


def test_a_cancelled_or_closed_meeting_takes_no_check_in(world, meeting) -> None:
    services.meeting_cancel(actor=None, scope=SYSTEM, meeting=meeting, reason="改期")
    with pytest.raises(RuleViolation) as exc:
        _scan(meeting, world.member, START)
    assert exc.value.code == "checkin_invalid"


def test_the_host_checks_in_those_without_a_phone_once_the_window_opens(world, meeting) -> None:
    with time_machine.travel(START - timedelta(minutes=31), tick=False), pytest.raises(RuleViolation):
        services.checkin_manual(actor=None, scope=SYSTEM, meeting=meeting, people=[world.member])
    with time_machine.travel(START, tick=False):
        assert services.checkin_manual(actor=None, scope=SYSTEM, meeting=meeting, people=[world.member]) == 1
        assert services.checkin_manual(actor=None, scope=SYSTEM, meeting=meeting, people=[world.member]) == 0
    a = Attendee.objects.get(meeting=meeting, person=world.member)
    assert a.checkin_method == "manual" and a.attendance == Attendance.PRESENT


# ---- through the web and the API --------------------------------------------------------------------


def test_the_scan_page_checks_a_member_in_and_answers_already_the_second_time(
    world, meeting, login, member_user
) -> None:
    client = login(member_user)
    with time_machine.travel(START, tick=False):
        token = checkin.make_token(meeting)
        url = reverse("orglife:scan", args=[token])
        assert "确认签到" in client.get(url).content.decode()
        assert "签到成功" in client.post(url).content.decode()
        assert "已签到" in client.post(url).content.decode()
    assert Attendee.objects.get(meeting=meeting, person=world.member).attendance == Attendance.PRESENT


def test_the_scan_page_sends_a_visitor_to_log_in_first(world, meeting, client) -> None:
    with time_machine.travel(START, tick=False):
        response = client.get(reverse("orglife:scan", args=[checkin.make_token(meeting)]))
    assert response.status_code == 302 and "login" in response.url and "next=" in response.url


def test_the_scan_page_explains_a_forged_code(world, meeting, login, member_user) -> None:
    response = login(member_user).post(reverse("orglife:scan", args=["forged"]))
    assert response.status_code == 400 and "签到码无效" in response.content.decode()


def test_the_check_in_api(world, meeting, login, member_user) -> None:
    client = login(member_user)
    url = f"/api/v1/meetings/{meeting.pk}/check-in"
    with time_machine.travel(START, tick=False):
        token = checkin.make_token(meeting)
        first = client.post(url, {"token": token}, content_type="application/json")
        second = client.post(url, {"token": token}, content_type="application/json")
        forged = client.post(url, {"token": "x"}, content_type="application/json")
    assert first.status_code == 200 and first.json()["already"] is False
    assert second.status_code == 200 and second.json()["already"] is True
    assert forged.status_code == 422 and forged.json()["code"] == "checkin_invalid"


def test_the_check_in_api_hides_a_meeting_the_user_cannot_see(world, meeting, login) -> None:
    outsider = f.user_for(world.fl_member, "fl_member")
    with time_machine.travel(START, tick=False):
        token = checkin.make_token(meeting)
        response = login(outsider).post(
            f"/api/v1/meetings/{meeting.pk}/check-in", {"token": token}, content_type="application/json"
        )
    assert response.status_code == 404
    assert not Attendee.objects.filter(meeting=meeting, person=world.fl_member).exists()


def test_the_check_in_screen_shows_the_rotating_code_only_in_the_window(
    world, meeting, login, branch_secretary
) -> None:
    client = login(branch_secretary)
    url = reverse("orglife:checkin_screen", args=[meeting.pk])
    with time_machine.travel(START - timedelta(hours=2), tick=False):
        # before the window: a marked preview of the printed code only, never the rotating one
        before = client.get(url).content.decode()
        early = client.get(reverse("orglife:checkin_code", args=[meeting.pk])).content.decode()
        rotating = checkin.make_token(meeting)
    assert "签到尚未开始" in before and rotating not in before
    assert "<svg" not in early and "签到尚未开始" in early
    with time_machine.travel(START, tick=False):
        page = client.get(url).content.decode()
        fragment = client.get(reverse("orglife:checkin_code", args=[meeting.pk])).content.decode()
    assert "<svg" in page and "<svg" in fragment and "已签到 0 /" in page
