"""The exam API for a phone: start (201), resume with the saved answers (200), save answers, submit once;
no right answer in any answer before submission; refusals in the API's error envelope."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from dangjian.audit.models import AuditEvent
from dangjian.learning.exams.models import Attempt

pytestmark = pytest.mark.django_db


def _put(client, url: str, body: dict) -> object:
    return client.put(url, data=json.dumps(body), content_type="application/json")


def test_the_api_flow(world, quiz, member_user, login) -> None:
    client = login(member_user)
    started = client.post(f"/api/v1/learning/quizzes/{quiz.pk}/attempts")
    assert started.status_code == 201
    body = started.json()
    assert all(i["answer"] is None and i["explanation"] is None for i in body["items"])
    assert "共产主义" not in started.content.decode() and "解析" not in started.content.decode()
    attempt = Attempt.objects.get()
    single = next(i for i in body["items"] if i["kind"] == "single")
    right = attempt.items.get(position=single["position"]).answer
    saved = _put(
        client,
        f"/api/v1/learning/attempts/{attempt.pk}/answers",
        {"answers": [{"position": single["position"], "response": right}]},
    )
    assert saved.status_code == 200
    assert "共产主义" not in saved.content.decode()
    # the phone lost its connection: starting again resumes the same attempt with its answers
    resumed = client.post(f"/api/v1/learning/quizzes/{quiz.pk}/attempts")
    assert resumed.status_code == 200 and resumed.json()["id"] == attempt.pk
    assert (
        next(i for i in resumed.json()["items"] if i["position"] == single["position"])["response"] == right
    )
    submitted = client.post(
        f"/api/v1/learning/attempts/{attempt.pk}/submit", data="{}", content_type="application/json"
    )
    again = client.post(
        f"/api/v1/learning/attempts/{attempt.pk}/submit", data="{}", content_type="application/json"
    )
    assert Decimal(str(submitted.json()["score"])) == Decimal(str(again.json()["score"])) == 10
    assert submitted.json()["submitted_at"] == again.json()["submitted_at"]
    assert all(i["answer"] is not None for i in submitted.json()["items"])
    assert AuditEvent.objects.filter(action="learning.attempt_submit").count() == 1
    late = _put(
        client,
        f"/api/v1/learning/attempts/{attempt.pk}/answers",
        {"answers": [{"position": 1, "response": None}]},
    )
    assert late.status_code == 422
    assert late.json()["code"] == "submitted" and late.json()["message"] == "答卷已交，不能再作答"


def test_a_bad_answer_is_refused_in_the_envelope(world, quiz, member_user, login) -> None:
    client = login(member_user)
    attempt_id = client.post(f"/api/v1/learning/quizzes/{quiz.pk}/attempts").json()["id"]
    refused = _put(
        client,
        f"/api/v1/learning/attempts/{attempt_id}/answers",
        {"answers": [{"position": 99, "response": [0]}]},
    )
    assert refused.status_code == 422 and refused.json()["message"] == "第 99 题不在本试卷中"


def test_others_cannot_touch_an_attempt(
    world, quiz, member_user, branch_secretary, outsider_organizer, login
) -> None:
    attempt_id = login(member_user).post(f"/api/v1/learning/quizzes/{quiz.pk}/attempts").json()["id"]
    for user in (branch_secretary, outsider_organizer):
        client = login(user)
        assert client.get(f"/api/v1/learning/attempts/{attempt_id}").status_code == 404
        assert (
            _put(client, f"/api/v1/learning/attempts/{attempt_id}/answers", {"answers": []}).status_code
            == 404
        )
        assert client.post(f"/api/v1/learning/attempts/{attempt_id}/submit").status_code == 404
    assert login(outsider_organizer).post(f"/api/v1/learning/quizzes/{quiz.pk}/attempts").status_code == 404
    assert Attempt.objects.get().is_open and Attempt.objects.count() == 1
