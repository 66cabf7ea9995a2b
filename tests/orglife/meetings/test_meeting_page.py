"""The meeting page: compact attendee rows, destructive actions set apart and confirmed."""

from __future__ import annotations

import re

from django.urls import reverse


def test_cancel_sits_in_a_danger_area_at_the_end_and_is_confirmed(
    world, make_meeting, login, branch_secretary
) -> None:
    meeting = make_meeting()
    page = login(branch_secretary).get(reverse("orglife:meeting", args=[meeting.pk])).content.decode()
    header, _sep, rest = page.partition("危险操作")
    cancel = reverse("orglife:meeting_cancel", args=[meeting.pk])
    assert cancel not in header  # not beside 修改
    assert reverse("orglife:meeting_edit", args=[meeting.pk]) in header
    link = re.search(rf'<a class="([^"]*)" href="{cancel}" onclick="return confirm\(', rest)
    assert link and "btn-outline-danger" in link.group(1)


def test_attendee_rows_are_one_line_each(world, make_meeting, login, branch_secretary) -> None:
    meeting = make_meeting()
    page = login(branch_secretary).get(reverse("orglife:meeting", args=[meeting.pk])).content.decode()
    assert "table-responsive-stack" not in page.split("参会人员", 1)[1].split("会议纪要", 1)[0]
    assert page.count('class="list-group-item d-flex align-items-center gap-2 py-2"') == 3


def test_the_member_sees_no_danger_area(world, make_meeting, login, member_user) -> None:
    meeting = make_meeting()
    page = login(member_user).get(reverse("orglife:meeting", args=[meeting.pk])).content.decode()
    assert "危险操作" not in page
