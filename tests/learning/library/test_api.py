"""The 学习库 API: the courses published to the caller, and the progress a player reports."""

from __future__ import annotations

import json

import pytest

from dangjian.learning.models import StudyHours
from tests import factories as f

pytestmark = pytest.mark.django_db


def _post(client, url: str, body: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_the_courses_are_those_published_to_the_caller(world, lib, member_user, login) -> None:
    body = login(member_user).get("/api/v1/learning/courses").json()
    assert body["count"] == 1
    course = body["items"][0]
    assert (course["title"], course["lessons"], course["lessons_done"], course["completed"]) == (
        "支部工作实务",
        2,
        0,
        False,
    )
    fl = login(f.user_for(world.fl_member, "fl_member")).get("/api/v1/learning/courses").json()
    assert fl["count"] == 0


def test_progress_by_position_finishes_lessons_and_the_course(world, lib, member_user, login) -> None:
    client = login(member_user)
    first = _post(
        client, f"/api/v1/learning/lessons/{lib.first.pk}/progress", {"position": 90, "duration": 100}
    )
    assert first.status_code == 200 and first.json()["done"] is True
    second = _post(client, f"/api/v1/learning/lessons/{lib.second.pk}/progress", {"percent": 100})
    assert second.json() == {
        "lesson_id": lib.second.pk,
        "percent": 100,
        "done": True,
        "course_completed": True,
    }
    assert StudyHours.objects.filter(person=world.member, source_kind="course").count() == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"percent": 120}, "进度应在 0 到 100 之间"),
        ({"position": 200, "duration": 100}, "播放位置超出了总时长"),
        ({}, "请报告进度百分比"),
    ],
)
def test_a_bad_report_is_400_in_chinese(world, lib, member_user, login, body, message) -> None:
    response = _post(login(member_user), f"/api/v1/learning/lessons/{lib.first.pk}/progress", body)
    assert response.status_code == 400 and message in response.json()["message"]


def test_a_backward_report_is_400_and_writes_nothing(world, lib, member_user, login) -> None:
    client = login(member_user)
    url = f"/api/v1/learning/lessons/{lib.first.pk}/progress"
    _post(client, url, {"percent": 60})
    response = _post(client, url, {"percent": 20})
    assert response.status_code == 400 and response.json()["code"] == "progress_backwards"
    assert lib.first.progress.get().percent == 60


def test_a_lesson_outside_the_callers_reach_is_404(world, lib, login) -> None:
    fl = login(f.user_for(world.fl_member, "fl_member"))
    assert _post(fl, f"/api/v1/learning/lessons/{lib.first.pk}/progress", {"percent": 10}).status_code == 404


def test_an_account_without_a_person_is_refused(world, lib, outsider_organizer, login) -> None:
    response = _post(
        login(outsider_organizer), f"/api/v1/learning/lessons/{lib.first.pk}/progress", {"percent": 1}
    )
    assert response.status_code == 404
