"""Courses and their lessons: created, edited (its 结课测试 among them), published or withdrawn; lessons
added, removed (before publishing) and reordered. Every change audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization
from dangjian.kit.errors import NotFound, RuleViolation
from dangjian.learning.library import rules
from dangjian.learning.library.models import (
    Course,
    Lesson,
    Material,
    Topic,
)
from dangjian.learning.library.services._common import P, _actor, may_publish

MAX_LESSON_HOURS = Decimal("20")
MAX_COURSE_HOURS = Decimal("100")


def _check_course(title: str, topic: str, hours: Decimal) -> None:
    if not title.strip():
        raise RuleViolation(_("请填写课程名称"), field="title")
    if topic not in Topic.values:
        raise RuleViolation(_("请选择专题"), field="topic")
    if hours <= 0 or hours > MAX_COURSE_HOURS:
        raise RuleViolation(_("课程学时应大于 0 且不超过 %(m)s") % {"m": MAX_COURSE_HOURS}, field="hours")


def course_create(
    *,
    actor: Any,
    scope: Scope,
    organization: Organization,
    title: str,
    topic: str,
    hours: Decimal,
    summary: str = "",
    quiz: Any = None,
) -> Course:
    if not may_publish(scope, organization):
        raise NotFound(_("未找到该党组织"))
    _check_course(title, topic, hours)
    _check_quiz(scope, quiz)
    with transaction.atomic():
        course = Course.objects.create(
            title=title.strip()[:120],
            topic=topic,
            hours=hours,
            summary=summary.strip()[:300],
            organization=organization,
            quiz=quiz,
            created_by=_actor(actor),
        )
        audit.record(
            actor=actor,
            action="learning.course_create",
            target=course,
            org=organization,
            changes={"title": course.title, "hours": str(hours)},
        )
    return course


def _locked_course(scope: Scope, course: Course) -> Course:
    locked = Course.objects.select_for_update().select_related("organization").filter(pk=course.pk).first()
    if locked is None or not may_publish(scope, locked.organization):
        raise NotFound(_("未找到该课程"))
    return locked


def course_update(
    *,
    actor: Any,
    scope: Scope,
    course: Course,
    title: str,
    topic: str,
    hours: Decimal,
    summary: str = "",
    quiz: Any = None,
) -> Course:
    """Change a course's name, topic, hours, summary or quiz. The hours of people who finished it stay
    as credited (a completion is a past fact)."""
    _check_course(title, topic, hours)
    _check_quiz(scope, quiz)
    with transaction.atomic():
        locked = _locked_course(scope, course)
        before = {
            "title": locked.title,
            "topic": locked.topic,
            "hours": str(locked.hours),
            "summary": locked.summary,
            "quiz": locked.quiz_id,
        }
        locked.title, locked.topic, locked.hours = title.strip()[:120], topic, hours
        locked.summary = summary.strip()[:300]
        locked.quiz = quiz
        after = {
            "title": locked.title,
            "topic": locked.topic,
            "hours": str(locked.hours),
            "summary": locked.summary,
            "quiz": locked.quiz_id,
        }
        if before == after:
            return locked
        locked.save()
        audit.record(
            actor=actor,
            action="learning.course_update",
            target=locked,
            org=locked.organization,
            changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
        )
    return locked


def course_publish(*, actor: Any, scope: Scope, course: Course, published: bool) -> Course:
    with transaction.atomic():
        locked = _locked_course(scope, course)
        if locked.published == published:
            return locked
        if published and not locked.lessons.exists():
            raise RuleViolation(_("课程还没有课时，不能发布"), code="no_lessons")
        locked.published = published
        if published and locked.published_at is None:
            locked.published_at = timezone.now()
        locked.save(update_fields=["published", "published_at", "updated_at"])
        audit.record(
            actor=actor,
            action="learning.course_publish" if published else "learning.course_withdraw",
            target=locked,
            org=locked.organization,
            changes={"published": [not published, published]},
        )
    return locked


def lesson_add(*, actor: Any, scope: Scope, course: Course, material: Material, hours: Decimal) -> Lesson:
    """Add ``material`` as the course's next lesson. The material must be one the organizer manages."""
    if hours <= 0 or hours > MAX_LESSON_HOURS:
        raise RuleViolation(_("课时学时应大于 0 且不超过 %(m)s") % {"m": MAX_LESSON_HOURS}, field="hours")
    with transaction.atomic():
        locked = _locked_course(scope, course)
        if not may_publish(scope, material.organization):
            raise NotFound(_("未找到该学习资料"))
        if locked.lessons.filter(material=material).exists():
            raise RuleViolation(_("该资料已在课程中"), field="material")
        position = (locked.lessons.aggregate(m=Max("position"))["m"] or 0) + 1
        lesson = Lesson.objects.create(course=locked, material=material, position=position, hours=hours)
        audit.record(
            actor=actor,
            action="learning.lesson_add",
            target=locked,
            org=locked.organization,
            changes={"lesson": lesson.pk, "material": material.pk, "position": position, "hours": str(hours)},
        )
    return lesson


def lesson_remove(*, actor: Any, scope: Scope, lesson: Lesson) -> None:
    """Take a lesson out of a course not yet published (a published course keeps its lessons: people are
    taking it)."""
    with transaction.atomic():
        locked = _locked_course(scope, lesson.course)
        if locked.published:
            raise RuleViolation(_("课程已发布，不能删除课时；请先撤回发布"), code="published")
        deleted, _rows = Lesson.objects.filter(pk=lesson.pk, course=locked).delete()
        if deleted:
            audit.record(
                actor=actor,
                action="learning.lesson_remove",
                target=locked,
                org=locked.organization,
                changes={"lesson": lesson.pk, "material": lesson.material_id},
            )


def lesson_move(*, actor: Any, scope: Scope, lesson: Lesson, position: int) -> Lesson:
    """Put a lesson at ``position`` (1-based; beyond either end: first or last) and renumber the course's
    lessons 1..n. The course's lessons are locked, so two organizers reordering at once cannot leave a
    gap or a duplicate; moving a lesson where it stands changes nothing. Allowed on a published course:
    the order is only how lessons are listed, a learner's progress is per lesson."""
    with transaction.atomic():
        locked = _locked_course(scope, lesson.course)
        lessons = list(Lesson.objects.select_for_update().filter(course=locked).order_by("position", "pk"))
        by_pk = {item.pk: item for item in lessons}
        if lesson.pk not in by_pk:
            raise NotFound(_("未找到该课时"))
        before = [item.pk for item in lessons]
        after = rules.moved_order(before, lesson.pk, position)
        if after == before and [item.position for item in lessons] == list(range(1, len(lessons) + 1)):
            return by_pk[lesson.pk]
        old = by_pk[lesson.pk].position
        # Two steps because (course, position) is unique at every row written: out of the way, then home.
        offset = len(lessons) + max(item.position for item in lessons)
        for item in lessons:
            item.position += offset
        Lesson.objects.bulk_update(lessons, ["position"])
        for number, pk in enumerate(after, start=1):
            by_pk[pk].position = number
        Lesson.objects.bulk_update(lessons, ["position"])
        moved = by_pk[lesson.pk]
        audit.record(
            actor=actor,
            action="learning.lesson_move",
            target=locked,
            org=locked.organization,
            changes={"lesson": moved.pk, "position": [old, moved.position], "order": after},
        )
    return moved


def _check_quiz(scope: Scope, quiz: Any) -> None:
    if quiz is None:
        return
    if not quiz.is_published or not scope.covers(P.MANAGE_TRAINING, quiz.organization.path):
        raise RuleViolation(_("结课测试应为您管理范围内已发布的测试"), field="quiz")
