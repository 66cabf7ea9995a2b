"""学习库 API for a phone client: the courses published to the caller (with their progress) and the
progress a player reports for a lesson — the same selectors and service as the pages."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from dangjian.accounts.requests import scope_of
from dangjian.kit.access_rules import access_rule, person, signed_in
from dangjian.kit.pagination import Pages
from dangjian.learning.library import selectors, services

router = Router(tags=["learning"])


class CourseOut(Schema):
    id: int
    title: str
    topic: str
    summary: str
    organization: str
    hours: Decimal
    published_at: datetime | None
    lessons: int
    lessons_done: int
    completed: bool

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.organization.name)

    @staticmethod
    def resolve_lessons(obj: Any) -> int:
        return int(obj.lesson_count)

    @staticmethod
    def resolve_lessons_done(obj: Any) -> int:
        return int(obj.done_count)


class ProgressIn(Schema):
    """A percent (0–100), or a medium's position and duration in seconds."""

    percent: float | None = None
    position: float | None = None
    duration: float | None = None


class ProgressOut(Schema):
    lesson_id: int
    percent: int
    done: bool
    course_completed: bool


@access_rule(signed_in())
@router.get("/courses", response=list[CourseOut])
@paginate(Pages, page_size=20)
def list_courses(request: HttpRequest, topic: str = "") -> Any:
    """Courses published to the caller's organization or one above it (and those the caller manages),
    newest first, with the caller's lessons done and whether the course is finished."""
    scope = scope_of(request)
    reader = selectors.reader_for(scope, timezone.localdate())
    return selectors.course_list(scope, reader, topic=topic[:20])


@access_rule(person())
@router.post("/lessons/{lesson_id}/progress", response=ProgressOut)
def lesson_progress(request: HttpRequest, lesson_id: int, payload: ProgressIn) -> Any:
    """Report progress in a lesson. It never goes back: a percent below the recorded one, or beyond 100,
    answers 400 with the reason and writes nothing. 90 % of a medium (or 100 % of a text) finishes the
    lesson; the last lesson finished completes the course and credits its hours once."""
    scope = scope_of(request)
    reader = selectors.reader_for(scope, timezone.localdate())
    if reader.person_id is None:
        raise Http404
    lesson = selectors.get_lesson_for(scope, reader, lesson_id)
    progress, completion = services.progress_report(
        actor=request.user,
        person_id=reader.person_id,
        lesson=lesson,
        percent=payload.percent,
        position=payload.position,
        duration=payload.duration,
    )
    return {
        "lesson_id": lesson.pk,
        "percent": progress.percent,
        "done": progress.done,
        "course_completed": completion is not None
        or lesson.course.completions.filter(person_id=reader.person_id).exists(),
    }
