"""Writes of the 学习库: materials uploaded and published by organizers (MANAGE_TRAINING where they
publish), courses and their lessons, study plans, and a reader's progress — which, when the last lesson
is done (and the quiz passed where there is one), completes the course and credits its hours once in the
ledger. Every change is audited in its transaction."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, PoliticalStatus
from dangjian.kit.errors import NotFound, RuleViolation
from dangjian.kit.uploads import checked_upload
from dangjian.learning.library import rules
from dangjian.learning.library.models import (
    Audience,
    Course,
    CourseCompletion,
    Lesson,
    LessonProgress,
    Material,
    MaterialKind,
    StudyPlan,
    Topic,
)
from dangjian.learning.models import SourceKind

P = Permission
MB = 1024 * 1024
EXTENSIONS = {
    MaterialKind.DOCUMENT: ((".pdf",), "PDF"),
    MaterialKind.AUDIO: ((".mp3", ".m4a"), "MP3、M4A"),
    MaterialKind.VIDEO: ((".mp4",), "MP4"),
}
MAX_LESSON_HOURS = Decimal("20")
MAX_COURSE_HOURS = Decimal("100")
PLAN_STATUSES = ("", *[s for s, _l in PoliticalStatus.choices if s not in ("masses", "applicant")])


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def may_publish(scope: Scope, org: Organization) -> bool:
    return scope.covers(P.MANAGE_TRAINING, org.path)


def max_bytes(kind: str) -> int:
    if kind == MaterialKind.DOCUMENT:
        return int(getattr(settings, "LEARNING_MAX_DOCUMENT_MB", 20)) * MB
    return int(getattr(settings, "LEARNING_MAX_MEDIA_MB", 200)) * MB


# ---------------------------------------------------------------- materials


def _check_material(
    *, title: str, kind: str, topic: str, audiences: list[str], body: str, url: str, upload: Any
) -> None:
    if not title.strip():
        raise RuleViolation(_("请填写标题"), field="title")
    if kind not in MaterialKind.values:
        raise RuleViolation(_("请选择资料类型"), field="kind")
    if topic not in Topic.values:
        raise RuleViolation(_("请选择专题"), field="topic")
    if not audiences or any(a not in Audience.values for a in audiences):
        raise RuleViolation(_("请至少选择一类适用对象"), field="audiences")
    if kind == MaterialKind.ARTICLE and not body.strip():
        raise RuleViolation(_("文章需要填写正文"), field="body")
    if kind == MaterialKind.LINK and not url.startswith(("https://", "http://")):
        raise RuleViolation(_("外部链接需要填写以 http:// 或 https:// 开头的地址"), field="url")


def material_create(
    *,
    actor: Any,
    scope: Scope,
    organization: Organization,
    title: str,
    kind: str,
    topic: str,
    audiences: list[str],
    summary: str = "",
    body: str = "",
    url: str = "",
    upload: Any = None,
) -> Material:
    """A material of ``organization`` (unpublished until ``material_publish``); a document, audio or
    video comes with its checked file."""
    if not may_publish(scope, organization):
        raise NotFound(_("未找到该党组织"))
    _check_material(
        title=title, kind=kind, topic=topic, audiences=audiences, body=body, url=url, upload=upload
    )
    name = ""
    if kind in EXTENSIONS:
        if upload is None:
            raise RuleViolation(_("请上传文件"), field="file")
        extensions, label = EXTENSIONS[MaterialKind(kind)]
        name = checked_upload(upload, extensions=extensions, max_bytes=max_bytes(kind), kinds=label)
    with transaction.atomic():
        material = Material(
            title=title.strip()[:120],
            kind=kind,
            topic=topic,
            audiences=sorted(set(audiences), key=list(Audience.values).index),
            organization=organization,
            summary=summary.strip()[:300],
            body=body.strip() if kind == MaterialKind.ARTICLE else "",
            url=url.strip() if kind == MaterialKind.LINK else "",
            uid=uuid.uuid4().hex,
            created_by=_actor(actor),
        )
        if name:
            material.file_name = name[:200]
            material.file_size = upload.size
            material.file.save(name, upload, save=False)
        material._history_user = _actor(actor)  # type: ignore[attr-defined]  # simple-history's 修改记录
        material.save()
        audit.record(
            actor=actor,
            action="learning.material_create",
            target=material,
            org=organization,
            changes={"title": material.title, "kind": kind, "audiences": material.audiences},
        )
    return material


def material_update(
    *,
    actor: Any,
    scope: Scope,
    material: Material,
    title: str,
    topic: str,
    audiences: list[str],
    summary: str = "",
    body: str = "",
    url: str = "",
) -> Material:
    """Change a material's words (its kind, organization and file stay: a new file is a new material)."""
    _check_material(
        title=title, kind=material.kind, topic=topic, audiences=audiences, body=body, url=url, upload=None
    )
    with transaction.atomic():
        locked = (
            Material.objects.select_for_update().select_related("organization").filter(pk=material.pk).first()
        )
        if locked is None or not may_publish(scope, locked.organization):
            raise NotFound(_("未找到该学习资料"))
        fields = ("title", "topic", "audiences", "summary", "body", "url")
        before = {k: getattr(locked, k) for k in fields}
        locked.title, locked.topic = title.strip()[:120], topic
        locked.audiences = sorted(set(audiences), key=list(Audience.values).index)
        locked.summary = summary.strip()[:300]
        locked.body = body.strip() if locked.kind == MaterialKind.ARTICLE else ""
        locked.url = url.strip() if locked.kind == MaterialKind.LINK else ""
        after = {k: getattr(locked, k) for k in fields}
        if before == after:
            return locked
        locked._history_user = _actor(actor)  # type: ignore[attr-defined]
        locked.save()
        # The text itself is not copied into the log: it says the body changed.
        changes: dict[str, Any] = {k: [before[k], after[k]] for k in fields if before[k] != after[k]}
        if "body" in changes:
            changes["body"] = _("正文已修改")
        audit.record(
            actor=actor,
            action="learning.material_update",
            target=locked,
            org=locked.organization,
            changes=changes,
        )
    return locked


def material_publish(*, actor: Any, scope: Scope, material: Material, published: bool) -> Material:
    """Publish (readers see it) or withdraw a material; publishing twice changes nothing."""
    with transaction.atomic():
        locked = (
            Material.objects.select_for_update().select_related("organization").filter(pk=material.pk).first()
        )
        if locked is None or not may_publish(scope, locked.organization):
            raise NotFound(_("未找到该学习资料"))
        if locked.published == published:
            return locked
        locked.published = published
        if published and locked.published_at is None:
            locked.published_at = timezone.now()
        locked._history_user = _actor(actor)  # type: ignore[attr-defined]
        locked.save(update_fields=["published", "published_at", "updated_at"])
        audit.record(
            actor=actor,
            action="learning.material_publish" if published else "learning.material_withdraw",
            target=locked,
            org=locked.organization,
            changes={"published": [not published, published]},
        )
    return locked


# ---------------------------------------------------------------- courses and lessons


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


# ---------------------------------------------------------------- progress and completion


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


def _check_quiz(scope: Scope, quiz: Any) -> None:
    if quiz is None:
        return
    if not quiz.is_published or not scope.covers(P.MANAGE_TRAINING, quiz.organization.path):
        raise RuleViolation(_("结课测试应为您管理范围内已发布的测试"), field="quiz")


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


# ---------------------------------------------------------------- study plans


def plan_create(
    *,
    actor: Any,
    scope: Scope,
    organization: Organization,
    title: str,
    deadline: date,
    courses: list[Course],
    political_status: str = "",
    today: date,
) -> StudyPlan:
    """Assign ``courses`` to the members of ``organization``'s subtree (or those of one status)."""
    if not may_publish(scope, organization):
        raise NotFound(_("未找到该党组织"))
    if not title.strip():
        raise RuleViolation(_("请填写计划名称"), field="title")
    if deadline < today:
        raise RuleViolation(_("完成期限不能早于今天"), field="deadline")
    if political_status not in PLAN_STATUSES:
        raise RuleViolation(_("请选择学习对象"), field="political_status")
    if not courses:
        raise RuleViolation(_("请至少选择一门课程"), field="courses")
    unpublished = [c.title for c in courses if not c.published]
    if unpublished:
        raise RuleViolation(_("课程尚未发布：%(t)s") % {"t": "、".join(unpublished)}, field="courses")
    with transaction.atomic():
        plan = StudyPlan.objects.create(
            title=title.strip()[:120],
            organization=organization,
            political_status=political_status,
            deadline=deadline,
            created_by=_actor(actor),
        )
        plan.courses.set(courses)
        audit.record(
            actor=actor,
            action="learning.plan_create",
            target=plan,
            org=organization,
            changes={
                "title": plan.title,
                "deadline": deadline,
                "courses": [c.pk for c in courses],
                "political_status": political_status,
            },
        )
    return plan


def plan_reminders_send(*, today: date) -> int:
    """Remind the people of each plan due within the policy's days who have not finished its courses,
    once per plan and person (a second run the same day, or the next, sends nothing new). People
    without an account are only on their organizers' list. Returns the people reminded; audited once."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef
    from django.urls import reverse

    from dangjian.learning.library.models import PlanReminder
    from dangjian.learning.library.selectors import plan_unfinished
    from dangjian.policy import get_policy
    from dangjian.workbench.services import notify

    until = today + timedelta(days=get_policy().study_plan_reminder_days)
    plans = list(
        StudyPlan.objects.filter(deadline__gte=today, deadline__lte=until).select_related("organization")
    )
    users = get_user_model()
    link = reverse("learning:me")
    sent = 0
    for plan in plans:
        pending = list(
            plan_unfinished(plan)
            .exclude(Exists(PlanReminder.objects.filter(plan=plan, person_id=OuterRef("pk"))))
            .values_list("pk", flat=True)
        )
        for start in range(0, len(pending), 2000):
            chunk = pending[start : start + 2000]
            with transaction.atomic():
                PlanReminder.objects.bulk_create(
                    [PlanReminder(plan=plan, person_id=pid) for pid in chunk], ignore_conflicts=True
                )
                notify(
                    users.objects.filter(person_id__in=chunk, is_active=True),
                    "learning",
                    _("学习计划即将到期：%(t)s") % {"t": plan.title},
                    body=_("请在 %(d)s 前学完计划中的课程，可在“我的学习”查看进度。") % {"d": plan.deadline},
                    link=link,
                )
            sent += len(chunk)
    if sent:
        with transaction.atomic():
            audit.record(
                actor=None,
                action="learning.plan_reminders",
                target=None,
                org=None,
                changes={"plans": [p.pk for p in plans], "people": sent, "on": today},
            )
    return sent
