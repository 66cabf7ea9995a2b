"""组织生活 on the 工作台: the member's next meeting, the secretary's quick actions; bounded queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import time_machine
from django.test import RequestFactory
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.orglife.meetings import services, tiles
from dangjian.orglife.models import MeetingStatus

SYSTEM = Scope.system()
START = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)  # 14:30 in Shanghai


def _scope(user) -> Scope:
    from dangjian.accounts.scope import resolve_scope

    return resolve_scope(user)


def test_the_member_sees_the_next_meeting_with_leave_then_check_in(
    world, make_meeting, login, member_user, django_assert_max_num_queries
) -> None:
    meeting = make_meeting(place="图书馆报告厅")
    make_meeting(day=date(2026, 12, 24), topic="更晚的会议")
    scope = _scope(member_user)
    with time_machine.travel(START - timedelta(days=1), tick=False):
        with django_assert_max_num_queries(2):
            tile = tiles.next_meeting_tile(RequestFactory().get("/"), scope)
        assert tile and tile["meeting"] == meeting and tile["may_leave"] and not tile["window_open"]
        html = login(member_user).get(reverse("web:home")).content.decode()
    assert "下次组织生活" in html and "图书馆报告厅" in html
    assert reverse("orglife:leave_new", args=[meeting.pk]) in html
    with time_machine.travel(START, tick=False):
        tile = tiles.next_meeting_tile(RequestFactory().get("/"), scope)
    assert tile and tile["window_open"] and not tile["may_leave"]


def test_no_tile_without_a_coming_meeting(world, make_meeting, member_user) -> None:
    meeting = make_meeting()
    services.meeting_cancel(actor=None, scope=SYSTEM, meeting=meeting, reason="改期")
    with time_machine.travel(START - timedelta(days=1), tick=False):
        assert tiles.next_meeting_tile(RequestFactory().get("/"), _scope(member_user)) is None


def test_the_secretary_has_quick_actions_and_todays_check_in(
    world, make_meeting, login, branch_secretary, django_assert_max_num_queries
) -> None:
    meeting = make_meeting()
    scope = _scope(branch_secretary)
    with time_machine.travel(START, tick=False):
        with django_assert_max_num_queries(3):  # the branch, whether any meeting is today, today's meetings
            tile = tiles.secretary_tile(RequestFactory().get("/"), scope)
        html = login(branch_secretary).get(reverse("web:home")).content.decode()
    assert tile and tile["branch"] == world.cs_branch and tile["today"] == [(meeting, True)]
    assert "发起会议" in html and reverse("orglife:checkin_projector", args=[meeting.pk]) in html
    assert meeting.status == MeetingStatus.PLANNED


def test_a_college_organizer_and_a_member_get_no_secretary_tile(
    world, college_organizer, member_user
) -> None:
    request = RequestFactory().get("/")
    assert tiles.secretary_tile(request, _scope(college_organizer)) is None
    assert tiles.secretary_tile(request, _scope(member_user)) is None
