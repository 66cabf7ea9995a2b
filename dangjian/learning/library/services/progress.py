"""A reader's progress in a lesson and the completion it brings: the course completes when every lesson
is done and its quiz (if any) passed, and credits its hours once in the ledger."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.learning.library import rules
from dangjian.learning.library.models import (
    Course,
    CourseCompletion,
    Lesson,
    LessonProgress,
)
from dangjian.learning.models import SourceKind


def course_quiz_passed(person_id: int, course: Course) -> bool:
    """Whether the person passed the course's quiz; True when the course asks for none."""
    from dangjian.learning.exams.services import quiz_passed

    return course.quiz_id is None or quiz_passed(person_id, course.quiz_id)


def courses_after_quiz(*, actor: Any, person_id: int, quiz_id: int, today: date) -> int:
    """A quiz was passed: complete the courses that waited for it (their lessons done). Returns how many."""
    done = 0
    for course in Course.objects.filter(quiz_id=quiz_id, published=True):
        if course_complete(actor=actor, person_id=person_id, course=course, today=today) is not None:
            done += 1
    return done


def progress_report(
    *,
    actor: Any,
    person_id: int,
    lesson: Lesson,
    percent: float | None = None,
    position: float | None = None,
    duration: float | None = None,
    today: date | None = None,
) -> tuple[LessonProgress, CourseCompletion | None]:
    """Record how far the person got in a lesson; bad or backward reports are refused and write
    nothing. The lesson done, and with it every lesson of the course, completes the course."""
    reported = rules.reported_percent(percent=percent, position=position, duration=duration)
    today = today or timezone.localdate()
    with transaction.atomic():
        progress, _created = LessonProgress.objects.get_or_create(person_id=person_id, lesson=lesson)
        progress = LessonProgress.objects.select_for_update().get(pk=progress.pk)
        new = rules.next_percent(progress.percent, reported)
        if new == progress.percent and (progress.done or not rules.is_done(new)):
            return progress, None
        progress.percent = new
        became_done = not progress.done and rules.is_done(new)
        if became_done:
            progress.done, progress.done_at = True, timezone.now()
        progress.save()
        if became_done:
            audit.record(
                actor=actor,
                action="learning.lesson_done",
                target=lesson.course,
                org=lesson.course.organization,
                changes={"lesson": lesson.pk, "person": person_id, "percent": new},
            )
        completion = (
            course_complete(actor=actor, person_id=person_id, course=lesson.course, today=today)
            if became_done
            else None
        )
    return progress, completion


def course_complete(*, actor: Any, person_id: int, course: Course, today: date) -> CourseCompletion | None:
    """Complete the course for the person when every lesson is done and the quiz passed; credit its
    hours once (a completion exists already: nothing more). Returns the new completion, else None."""
    from dangjian.learning.ledger.services import _sync_one

    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        if CourseCompletion.objects.filter(person_id=person_id, course=locked).exists():
            return None
        lessons = locked.lessons.count()
        done = LessonProgress.objects.filter(person_id=person_id, lesson__course=locked, done=True).count()
        if lessons == 0 or done < lessons or not course_quiz_passed(person_id, locked):
            return None
        try:
            with transaction.atomic():
                completion = CourseCompletion.objects.create(
                    person_id=person_id, course=locked, completed_on=today
                )
        except IntegrityError:  # completed meanwhile by another request
            return None
        _sync_one(
            actor=actor,
            kind=SourceKind.COURSE,
            batch=f"course:{locked.pk}:{person_id}",
            on=today,
            hours=locked.hours,
            wanted={person_id},
            note=_("网上课程：%(t)s") % {"t": locked.title},
        )
        audit.record(
            actor=actor,
            action="learning.course_complete",
            target=locked,
            org=course.organization,
            changes={"person": person_id, "hours": str(locked.hours), "on": today},
        )
    return completion
