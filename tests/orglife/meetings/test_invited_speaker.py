"""党课 speakers: a member of the branch or an invited speaker as free text — exactly one of the two."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.kit.errors import RuleViolation
from dangjian.orglife.meetings import services
from dangjian.orglife.models import Meeting

SYSTEM = Scope.system()


def test_a_lecture_may_have_an_invited_speaker_shown_on_the_page_and_in_the_api(
    world, make_meeting, login, branch_secretary
) -> None:
    meeting = make_meeting("lecture", speaker_name="陈教授", speaker_title="马克思主义学院")
    assert meeting.speaker_id is None and meeting.speaker_label == "陈教授（马克思主义学院）"
    client = login(branch_secretary)
    page = client.get(reverse("orglife:meeting", args=[meeting.pk])).content.decode()
    assert "陈教授（马克思主义学院）" in page and "特邀" in page
    api = client.get(f"/api/v1/meetings/{meeting.pk}")
    assert api.status_code == 200 and api.json()["speaker_name"] == "陈教授（马克思主义学院）"


@pytest.mark.parametrize(
    ("speaker", "name", "title", "message"),
    [
        (True, "陈教授", "", "二选一"),
        (False, "", "", "党课请选择本支部主讲人或填写特邀主讲人"),
        (False, "", "马克思主义学院", "请同时填写其姓名"),
        (False, "   ", "", "党课请选择本支部主讲人或填写特邀主讲人"),
    ],
)
def test_exactly_one_speaker_with_a_chinese_error(world, make_meeting, speaker, name, title, message) -> None:
    with pytest.raises(RuleViolation, match=message):
        make_meeting(
            "lecture", speaker=world.secretary if speaker else None, speaker_name=name, speaker_title=title
        )
    assert not Meeting.objects.exists()


def test_the_form_shows_the_error_and_an_edit_can_switch_to_an_invited_speaker(
    world, make_meeting, login, branch_secretary
) -> None:
    client = login(branch_secretary)
    response = client.post(
        reverse("orglife:meeting_new") + f"?org={world.cs_branch.pk}",
        {
            "kind": "lecture",
            "topic": "专题党课",
            "date": "2026-12-05",
            "start_time": "09:00",
            "duration_minutes": "90",
            "speaker": world.secretary.pk,
            "speaker_name": "陈教授",
        },
    )
    assert response.status_code == 200 and "二选一" in response.content.decode()
    meeting = make_meeting("lecture", day=date(2026, 12, 5), speaker=world.secretary)
    response = client.post(
        reverse("orglife:meeting_edit", args=[meeting.pk]),
        {
            "topic": meeting.topic,
            "date": "2026-12-05",
            "start_time": "14:30",
            "duration_minutes": "90",
            "speaker": "",
            "speaker_name": "陈教授",
            "speaker_title": "校党委书记",
            "expected_status": "planned",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting.refresh_from_db()
    assert (meeting.speaker_id, meeting.speaker_label) == (None, "陈教授（校党委书记）")


def test_an_update_refuses_both_kinds_of_speaker(world, make_meeting) -> None:
    meeting = make_meeting("lecture", speaker=world.secretary)
    with pytest.raises(RuleViolation, match="二选一"):
        services.meeting_update(actor=None, scope=SYSTEM, meeting=meeting, speaker_name="陈教授")
