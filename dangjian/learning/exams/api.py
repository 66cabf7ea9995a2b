"""随堂测试 API for a phone: start (or resume) an attempt, save answers as the member goes, submit once.
The paper never carries the right answers while the attempt is open (``selectors.paper_of``)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from dangjian.accounts.requests import scope_of
from dangjian.kit.access_rules import access_rule, own, person
from dangjian.learning.exams import selectors, services
from dangjian.learning.exams.models import Attempt, Quiz

router = Router(tags=["learning"])


class ItemOut(Schema):
    position: int
    kind: str
    kind_label: str
    text: str
    options: list[str]
    points: Decimal
    response: list[int] | str | None
    answer: list[int] | list[str] | None  # only once the attempt is closed
    explanation: str | None
    correct: bool | None


class AttemptOut(Schema):
    id: int
    quiz_id: int
    quiz_title: str
    number: int
    status: str
    started_at: datetime
    deadline: datetime
    submitted_at: datetime | None
    score: Decimal | None
    total: Decimal
    passed: bool | None
    items: list[ItemOut]


class AnswerIn(Schema):
    position: int
    response: list[int] | str | None = None


class AnswersIn(Schema):
    answers: list[AnswerIn]


def _out(attempt: Attempt) -> dict[str, Any]:
    attempt.refresh_from_db()
    return {
        "id": attempt.pk,
        "quiz_id": attempt.quiz_id,
        "quiz_title": attempt.quiz.title,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "submitted_at": attempt.submitted_at,
        "score": attempt.score,
        "total": attempt.total,
        "passed": attempt.passed,
        "items": [vars(i) for i in selectors.paper_of(attempt)],
    }


@access_rule(person())
@router.post("/quizzes/{quiz_id}/attempts", response={200: AttemptOut, 201: AttemptOut})
def start_attempt(request: HttpRequest, quiz_id: int) -> Any:
    """Start a paper of a published quiz of the caller's organization, or resume the open one (200)
    with the answers saved so far."""
    attempt, created = services.attempt_start(
        actor=request.user, scope=scope_of(request), quiz=Quiz(pk=quiz_id)
    )
    return Status(201 if created else 200, _out(attempt))


@access_rule(own())
@router.get("/attempts/{attempt_id}", response=AttemptOut)
def get_attempt(request: HttpRequest, attempt_id: int) -> Any:
    return _out(selectors.get_own_attempt(scope_of(request), attempt_id))


@access_rule(own())
@router.put("/attempts/{attempt_id}/answers", response=AttemptOut)
def save_answers(request: HttpRequest, attempt_id: int, payload: AnswersIn) -> Any:
    """Save some answers (``response``: the chosen option positions as shown, or the text of a 填空题;
    ``null`` clears). Refused after the deadline or after submission."""
    attempt = selectors.get_own_attempt(scope_of(request), attempt_id)
    services.attempt_save_answers(
        actor=request.user,
        scope=scope_of(request),
        attempt=attempt,
        answers={a.position: a.response for a in payload.answers},
    )
    return _out(attempt)


@access_rule(own())
@router.post("/attempts/{attempt_id}/submit", response=AttemptOut)
def submit_attempt(request: HttpRequest, attempt_id: int) -> Any:
    """Hand in and grade once; a second submit (a retry after a lost connection) returns the same
    result."""
    attempt = selectors.get_own_attempt(scope_of(request), attempt_id)
    services.attempt_submit(actor=request.user, scope=scope_of(request), attempt=attempt)
    return _out(attempt)
