"""会议日历 and the .ics subscription: the month in the viewer's scope, the per-person secret feed
(its meetings only, a wrong token 404s), RFC 5545 escaping and folding, audited resets."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.orglife.meetings import ics, services
from dangjian.orglife.models import CalendarFeed
from tests import factories as f

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def test_the_month_shows_the_meetings_in_scope_and_not_others(
    world, make_meeting, login, branch_secretary, member_user
) -> None:
    make_meeting(day=date(2026, 11, 24), topic="本支部十一月大会")
    make_meeting(day=date(2026, 11, 25), topic="外语学院会议", org=world.fl_branch)
    make_meeting(day=date(2026, 12, 1), topic="十二月会议")
    for user in (branch_secretary, member_user):
        with time_machine.travel(NOW, tick=False):
            html = login(user).get(reverse("orglife:calendar")).content.decode()
        assert "本支部十一月大会" in html and "外语学院会议" not in html and "十二月会议" not in html
    html = login(member_user).get(reverse("orglife:calendar") + "?month=2026-12").content.decode()
    assert "十二月会议" in html


def test_the_month_uses_a_bounded_number_of_queries(
    world, make_meeting, login, college_organizer, django_assert_max_num_queries
) -> None:
    for d in range(1, 29):
        make_meeting(day=date(2026, 11, d), topic=f"会议{d}")
    client = login(college_organizer)
    url = reverse("orglife:calendar") + "?month=2026-11"
    client.get(url)
    with django_assert_max_num_queries(10):
        assert "会议28" in client.get(url).content.decode()


def _feed_url(client: Client) -> str:
    client.post(reverse("orglife:calendar_feed_action", args=["reset"]), {"expected_status": "none"})
    feed = CalendarFeed.objects.get()
    return reverse("orglife:calendar_feed", args=[feed.token])


def test_the_feed_lists_the_members_meetings_and_not_others_without_login(
    world, make_meeting, login, member_user
) -> None:
    make_meeting(day=date(2026, 11, 24), topic="本支部大会", place="图书馆, 302; 东区")
    make_meeting(day=date(2026, 11, 25), topic="外语学院会议", org=world.fl_branch)
    make_meeting(day=date(2027, 12, 1), topic="太远的会议")
    with time_machine.travel(NOW, tick=False):
        url = _feed_url(login(member_user))
        response = Client().get(url)  # a calendar app: no session
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert "本支部大会" in body and "外语学院会议" not in body and "太远的会议" not in body
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert "LOCATION:图书馆\\, 302\\; 东区" in body
    assert "DTSTART:20261124T063000Z" in body and "UID:meeting-" in body and "DTSTAMP:" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_a_wrong_or_reset_token_is_404_and_each_reset_is_audited(world, login, member_user) -> None:
    client = login(member_user)
    old = _feed_url(client)
    assert Client().get(old).status_code == 200
    assert Client().get(reverse("orglife:calendar_feed", args=["x" * 43])).status_code == 404
    state = services.calendar_feed_state(CalendarFeed.objects.get())
    client.post(reverse("orglife:calendar_feed_action", args=["reset"]), {"expected_status": state})
    # the same page submitted twice: refused as stale, the URL changes once
    client.post(reverse("orglife:calendar_feed_action", args=["reset"]), {"expected_status": state})
    assert Client().get(old).status_code == 404
    new = reverse("orglife:calendar_feed", args=[CalendarFeed.objects.get().token])
    assert Client().get(new).status_code == 200
    assert sorted(
        AuditEvent.objects.filter(action__startswith="orglife.calendar_feed").values_list("action", flat=True)
    ) == ["orglife.calendar_feed_create", "orglife.calendar_feed_reset"]
    page = client.get(reverse("orglife:calendar")).content.decode()
    assert new in page
    client.post(
        reverse("orglife:calendar_feed_action", args=["revoke"]),
        {"expected_status": services.calendar_feed_state(CalendarFeed.objects.get())},
    )
    assert Client().get(new).status_code == 404
    assert AuditEvent.objects.filter(action="orglife.calendar_feed_revoke").exists()


def test_the_token_is_long_and_random(world, member_user) -> None:
    a = services.calendar_feed_reset(actor=member_user)
    b = services.calendar_feed_reset(actor=member_user)
    assert len(a.token) >= 40 and a.token != b.token


def test_a_person_less_account_cannot_subscribe(world, login, college_organizer) -> None:
    response = login(college_organizer).post(
        reverse("orglife:calendar_feed_action", args=["reset"]), {"expected_status": "none"}
    )
    assert response.status_code == 404 and not CalendarFeed.objects.exists()


@pytest.mark.parametrize(
    ("text", "escaped"),
    [("a,b", "a\\,b"), ("a;b", "a\\;b"), ("a\\b", "a\\\\b"), ("a\nb", "a\\nb"), ("a\r\nb", "a\\nb")],
)
def test_text_escaping(text, escaped) -> None:
    assert ics.escape(text) == escaped


def test_folding_never_splits_a_chinese_character() -> None:
    line = "SUMMARY:" + "学习党的二十届四中全会精神" * 5
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1 and all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_an_inactive_users_feed_is_404(world, login) -> None:
    user = f.user_for(world.member, "member2")
    feed = services.calendar_feed_reset(actor=user)
    user.is_active = False
    user.save()
    assert Client().get(reverse("orglife:calendar_feed", args=[feed.token])).status_code == 404
