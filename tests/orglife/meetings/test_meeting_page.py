"""The meeting page: compact attendee rows, destructive actions set apart and confirmed."""

from __future__ import annotations

import re
from datetime import UTC, datetime

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
    link = re.search(rf'<a class="([^"]*)" href="{cancel}" data-confirm="', rest)
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


def test_the_minutes_print_as_an_a4_pdf_with_the_sign_in_table(
    world, make_meeting, login, branch_secretary, college_organizer
) -> None:
    import time_machine

    from dangjian.accounts.scope import Scope
    from dangjian.orglife.meetings import services

    meeting = make_meeting("lecture", speaker_name="陈教授", speaker_title="马克思主义学院")
    with time_machine.travel(datetime(2026, 11, 24, 8, 0, tzinfo=UTC), tick=False):
        services.minutes_record(
            actor=None,
            scope=Scope.system(),
            meeting=meeting,
            host=world.secretary,
            recorder=world.member,
            content="学习讨论",
        )
    page = login(branch_secretary).get(reverse("orglife:meeting", args=[meeting.pk])).content.decode()
    assert reverse("orglife:minutes_pdf", args=[meeting.pk]) in page and "打印会议记录" in page
    for user in (branch_secretary, college_organizer):
        response = login(user).get(reverse("orglife:minutes_pdf", args=[meeting.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_the_sign_in_table_lists_every_attendee_with_a_signature_column(world, make_meeting) -> None:
    from django.template.loader import render_to_string

    from dangjian.orglife.models import Attendee

    meeting = make_meeting()
    html = render_to_string(
        "orglife/minutes_pdf.html",
        {
            "meeting": meeting,
            "minutes": None,
            "attendees": Attendee.objects.filter(meeting=meeting).select_related("person"),
            "counts": {"total": 3, "present": 0, "leave": 0, "absent": 0},
        },
    )
    assert "签到表" in html and "本人签名" in html
    assert all(name in html for name in ("王建国", "李晓红", "张伟"))


def test_the_minutes_pdf_is_404_for_outsiders_and_for_a_plain_attendee(
    world, make_meeting, login, outsider_organizer, member_user
) -> None:
    meeting = make_meeting()
    url = reverse("orglife:minutes_pdf", args=[meeting.pk])
    assert login(outsider_organizer).get(url).status_code == 404
    assert login(member_user).get(url).status_code == 404
