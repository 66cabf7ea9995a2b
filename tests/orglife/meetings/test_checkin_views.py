"""The check-in views: the preview and the printed sheet before the window, the projector view with its
polled list of names, the lists on the meeting page, and ``meeting_for_token`` for the login page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.kit.errors import RuleViolation
from dangjian.orglife.meetings import checkin, services
from dangjian.orglife.models import Attendance, Attendee
from tests import factories as f

SYSTEM = Scope.system()
START = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)  # 14:30 in Shanghai; the window is 14:00–15:30
BEFORE = START - timedelta(days=1)


def test_before_the_window_the_secretary_sees_a_marked_preview(
    world, make_meeting, login, branch_secretary
) -> None:
    meeting = make_meeting()
    with time_machine.travel(BEFORE, tick=False):
        page = login(branch_secretary).get(reverse("orglife:checkin_screen", args=[meeting.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "签到尚未开始，开始时间 2026-11-24 14:00" in html and "<svg" in html
    assert "/orglife/c/" in html  # the link, printed beside the code
    assert reverse("orglife:checkin_print", args=[meeting.pk]) in html
    assert reverse("orglife:checkin_projector", args=[meeting.pk]) in html


def test_the_print_sheet_names_the_meeting_and_its_code_works_only_in_the_window(
    world, make_meeting, login, branch_secretary
) -> None:
    meeting = make_meeting(place="图书馆报告厅")
    with time_machine.travel(BEFORE, tick=False):
        html = (
            login(branch_secretary).get(reverse("orglife:checkin_print", args=[meeting.pk])).content.decode()
        )
    assert meeting.topic in html and "图书馆报告厅" in html and "2026-11-24 14:30" in html
    assert "@page { size: A4" in html and "<svg" in html
    token = checkin.make_print_token(meeting)
    with pytest.raises(RuleViolation) as exc:
        services.checkin_scan(actor=None, person=world.member, token=token, now=BEFORE)
    assert exc.value.code == "checkin_closed"
    _attendee, created = services.checkin_scan(
        actor=None, person=world.member, token=token, now=START + timedelta(minutes=10)
    )
    assert created


def test_the_projector_shows_the_code_and_the_names_ticking_in(
    world, make_meeting, login, branch_secretary
) -> None:
    meeting = make_meeting()
    client = login(branch_secretary)
    with time_machine.travel(START, tick=False):
        services.checkin_scan(actor=None, person=world.member, token=checkin.make_token(meeting), now=START)
        html = client.get(reverse("orglife:checkin_projector", args=[meeting.pk])).content.decode()
        live = client.get(reverse("orglife:checkin_live", args=[meeting.pk])).content.decode()
    assert "<svg" in html and meeting.topic in html and 'hx-trigger="every 5s"' in html
    assert "已签到 1 / 3 人" in live and "李晓红" in live and "张伟" not in live


def test_the_live_fragment_uses_a_bounded_number_of_queries(
    world, make_meeting, login, branch_secretary, django_assert_max_num_queries
) -> None:
    for i in range(40):
        f.member(world.cs_branch, f"党员{i}")
    meeting = make_meeting()
    Attendee.objects.filter(meeting=meeting).update(attendance=Attendance.PRESENT, checked_in_at=START)
    client = login(branch_secretary)
    url = reverse("orglife:checkin_live", args=[meeting.pk])
    client.get(url)  # warm the session and scope caches
    # the session, the user and the scope, the meeting, the count and the latest names: not one per row
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert "已签到 43 / 43 人" in response.content.decode()


@pytest.mark.parametrize(
    "name", ["checkin_screen", "checkin_code", "checkin_print", "checkin_projector", "checkin_live"]
)
def test_outsiders_and_members_get_404_on_every_check_in_view(
    world, make_meeting, login, outsider_organizer, member_user, name
) -> None:
    meeting = make_meeting()
    url = reverse(f"orglife:{name}", args=[meeting.pk])
    with time_machine.travel(START, tick=False):
        assert login(outsider_organizer).get(url).status_code == 404
        assert login(member_user).get(url).status_code == 404


def test_the_meeting_page_lists_who_has_checked_in_and_who_has_not(
    world, make_meeting, login, branch_secretary
) -> None:
    meeting = make_meeting()
    with time_machine.travel(START, tick=False):
        services.checkin_scan(actor=None, person=world.member, token=checkin.make_token(meeting), now=START)
        html = login(branch_secretary).get(reverse("orglife:meeting", args=[meeting.pk])).content.decode()
    lists = html.split("dj-checkin-lists", 1)[1].split("</div></div>", 1)[0]
    signed, _sep, missing = lists.partition("未签到")
    assert "已签到 1 人" in signed and "李晓红" in signed
    assert "2 人" in missing and "张伟" in missing and "王建国" in missing


def test_meeting_for_token_names_the_meeting_of_a_genuine_fresh_code_only(world, make_meeting) -> None:
    meeting = make_meeting()
    assert checkin.meeting_for_token(checkin.make_token(meeting, START), START) == meeting
    assert checkin.meeting_for_token(checkin.make_print_token(meeting)) == meeting
    assert checkin.meeting_for_token(checkin.make_token(meeting, START), START + timedelta(hours=1)) is None
    assert checkin.meeting_for_token("forged") is None
    assert checkin.meeting_for_token("") is None


def test_the_login_page_names_the_meeting_a_signed_out_member_scanned(client, world, make_meeting) -> None:
    meeting = make_meeting()
    with time_machine.travel(START, tick=False):
        scan = reverse("orglife:scan", args=[checkin.make_token(meeting, START)])
        response = client.get(scan)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        page = client.get(response["Location"]).content.decode()
    assert meeting.topic in page and world.cs_branch.name in page
    stale = client.get(reverse("accounts:login"), {"next": reverse("orglife:scan", args=["x.y"])})
    assert "签到码已过期" in stale.content.decode()
