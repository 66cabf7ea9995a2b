"""Progress and completion: a report never goes back, 90 % finishes a lesson, the last lesson finished
completes the course and credits its hours once; materials and plans are checked before anything is
written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import NotFound, RuleViolation
from dangjian.learning.library import services
from dangjian.learning.library.models import CourseCompletion, LessonProgress, Material
from dangjian.learning.library.rules import ProgressRefused
from dangjian.learning.models import StudyHours, StudyYear
from tests.learning.library.conftest import SYSTEM

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


def report(person, lesson, **kwargs):
    return services.progress_report(actor=None, person_id=person.pk, lesson=lesson, today=TODAY, **kwargs)


def test_progress_is_kept_and_a_backward_report_writes_nothing(world, lib) -> None:
    progress, _ = report(world.member, lib.first, percent=40)
    assert (progress.percent, progress.done) == (40, False)
    with pytest.raises(ProgressRefused, match="进度不能倒退"):
        report(world.member, lib.first, percent=30)
    with pytest.raises(ProgressRefused):
        report(world.member, lib.first, percent=101)
    assert LessonProgress.objects.get(person=world.member, lesson=lib.first).percent == 40


def test_a_refused_first_report_creates_no_row(world, lib) -> None:
    with pytest.raises(ProgressRefused):
        report(world.member, lib.first, position=70, duration=50)
    assert not LessonProgress.objects.exists()


def test_ninety_percent_finishes_a_lesson_once(world, lib) -> None:
    progress, _ = report(world.member, lib.first, position=89.9, duration=100)
    assert not progress.done
    progress, _ = report(world.member, lib.first, position=90, duration=100)
    assert progress.done and progress.percent == 90
    report(world.member, lib.first, percent=100)
    assert AuditEvent.objects.filter(action="learning.lesson_done").count() == 1


def test_the_last_lesson_completes_the_course_and_credits_its_hours_once(world, lib) -> None:
    _p, completion = report(world.member, lib.first, percent=100)
    assert completion is None
    _p, completion = report(world.member, lib.second, percent=95)
    assert completion is not None and completion.completed_on == TODAY
    row = StudyHours.objects.get(person=world.member, source_kind="course")
    assert (row.hours, row.on, row.batch) == (
        Decimal("4"),
        TODAY,
        f"course:{lib.course.pk}:{world.member.pk}",
    )
    assert StudyYear.objects.get(person=world.member, year=2026).hours == Decimal("4")
    # reported again, finished again, completed again: nothing more is credited
    report(world.member, lib.second, percent=100)
    again = services.course_complete(
        actor=None, person_id=world.member.pk, course=lib.course, today=date(2026, 12, 1)
    )
    assert again is None
    assert StudyHours.objects.filter(person=world.member, source_kind="course").count() == 1
    assert CourseCompletion.objects.filter(person=world.member).count() == 1
    assert AuditEvent.objects.filter(action="learning.course_complete").count() == 1


def test_a_course_with_a_quiz_is_completed_when_the_quiz_is_passed(world, lib) -> None:
    from dangjian.learning.exams import services as exams
    from tests.learning.exams.conftest import as_person, make_bank, make_quiz

    make_bank(world.cs)
    quiz = make_quiz(world.cs)
    type(lib.course).objects.filter(pk=lib.course.pk).update(quiz=quiz)
    lib.course.refresh_from_db()
    assert services.course_quiz_passed(world.member.pk, lib.course) is False
    report(world.member, lib.first, percent=100)
    _p, completion = report(world.member, lib.second, percent=100)
    assert completion is None and not StudyHours.objects.filter(source_kind="course").exists()
    # A failed attempt completes nothing; a passed one completes the course, credited once.
    scope = as_person(world.member)
    attempt, _ = exams.attempt_start(actor=None, scope=scope, quiz=quiz)
    exams.attempt_submit(actor=None, scope=scope, attempt=attempt)
    assert not CourseCompletion.objects.exists()
    attempt, _ = exams.attempt_start(actor=None, scope=scope, quiz=quiz)
    right = {i.position: (i.answer[0] if i.kind == "fill" else list(i.answer)) for i in attempt.items.all()}
    exams.attempt_save_answers(actor=None, scope=scope, attempt=attempt, answers=right)
    exams.attempt_submit(actor=None, scope=scope, attempt=attempt)
    assert CourseCompletion.objects.filter(person=world.member, course=lib.course).count() == 1
    assert StudyHours.objects.filter(person=world.member, source_kind="course").count() == 1


def test_a_course_cannot_ask_for_a_draft_quiz_or_one_out_of_scope(world, lib, outsider_organizer) -> None:
    from dangjian.accounts.scope import Scope, resolve_scope
    from dangjian.kit.errors import RuleViolation
    from tests.learning.exams.conftest import make_bank, make_quiz

    make_bank(world.cs)
    draft = make_quiz(world.cs, publish=False)
    with pytest.raises(RuleViolation, match="结课测试应为您管理范围内已发布的测试"):
        services.course_update(
            actor=None,
            scope=Scope.system(),
            course=lib.course,
            title="x",
            topic=lib.course.topic,
            hours=lib.course.hours,
            quiz=draft,
        )
    published = make_quiz(world.cs)
    fl_scope = resolve_scope(outsider_organizer)
    with pytest.raises(RuleViolation, match="结课测试应为您管理范围内已发布的测试"):
        services.course_create(
            actor=outsider_organizer,
            scope=fl_scope,
            organization=world.fl,
            title="外院课程",
            topic="charter",
            hours=lib.course.hours,
            quiz=published,
        )


def test_a_course_without_a_quiz_needs_none(world, lib) -> None:
    assert services.course_quiz_passed(world.member.pk, lib.course) is True


def test_an_outsider_cannot_publish_in_another_college(world, lib) -> None:
    from dangjian.accounts.scope import resolve_scope
    from tests import factories as f

    outsider = f.user_for(None, "outsider", ("college_organizer", world.fl))
    scope = resolve_scope(outsider)
    with pytest.raises(NotFound):
        services.material_publish(actor=outsider, scope=scope, material=lib.cs_material, published=False)
    with pytest.raises(NotFound):
        services.course_create(
            actor=outsider, scope=scope, organization=world.cs, title="x", topic="charter", hours=Decimal("1")
        )


@pytest.mark.parametrize(
    ("kind", "name", "content", "message"),
    [
        ("document", "a.docx", b"PK\x03\x04rest", "只能上传以下类型的文件：PDF"),
        ("document", "a.pdf", b"MZ-a-program", "文件内容与扩展名"),
        ("audio", "a.mp3", b"\x00\x00\x00\x18ftypM4A ", "文件内容与扩展名"),
        ("video", "a.mp4", b"ID3notavideo", "文件内容与扩展名"),
    ],
)
def test_a_wrong_upload_is_refused_and_nothing_is_written(world, kind, name, content, message) -> None:
    with pytest.raises(RuleViolation, match=message):
        services.material_create(
            actor=None,
            scope=SYSTEM,
            organization=world.cs,
            title="资料",
            kind=kind,
            topic="theory",
            audiences=["member"],
            upload=SimpleUploadedFile(name, content),
        )
    assert not Material.objects.exists()


def test_an_upload_larger_than_the_setting_is_refused(world, settings) -> None:
    settings.LEARNING_MAX_DOCUMENT_MB = 1
    with pytest.raises(RuleViolation, match="文件不能超过 1 MB"):
        services.material_create(
            actor=None,
            scope=SYSTEM,
            organization=world.cs,
            title="大文件",
            kind="document",
            topic="theory",
            audiences=["member"],
            upload=SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (1024 * 1024)),
        )


def test_media_uploads_are_kept_under_their_own_name(world, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    material = services.material_create(
        actor=None,
        scope=SYSTEM,
        organization=world.cs,
        title="党课录音",
        kind="audio",
        topic="history",
        audiences=["member", "secretary"],
        upload=SimpleUploadedFile("../../第一讲.m4a", b"\x00\x00\x00\x18ftypM4A rest-of-file"),
    )
    assert material.file_name == "第一讲.m4a" and material.file.name.endswith(".m4a")
    assert ".." not in material.file.name and material.audiences == ["member", "secretary"]
    assert AuditEvent.objects.filter(action="learning.material_create").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"audiences": []}, "请至少选择一类适用对象"),
        ({"audiences": ["everyone"]}, "请至少选择一类适用对象"),
        ({"body": "  "}, "文章需要填写正文"),
        ({"kind": "link", "url": "javascript:alert(1)"}, "外部链接"),
        ({"title": " "}, "请填写标题"),
    ],
)
def test_a_material_is_checked_before_it_is_written(world, changes, message) -> None:
    values = {"title": "文章", "kind": "article", "topic": "theory", "audiences": ["member"], "body": "正文"}
    with pytest.raises(RuleViolation, match=message):
        services.material_create(actor=None, scope=SYSTEM, organization=world.cs, **{**values, **changes})
    assert not Material.objects.exists()


def test_a_plan_needs_published_courses_and_a_deadline_ahead(world, lib) -> None:
    draft = services.course_create(
        actor=None, scope=SYSTEM, organization=world.cs, title="草稿", topic="theory", hours=Decimal("1")
    )
    common = {
        "actor": None,
        "scope": Scope.system(),
        "organization": world.cs,
        "title": "计划",
        "today": TODAY,
    }
    with pytest.raises(RuleViolation, match="课程尚未发布"):
        services.plan_create(**common, deadline=date(2026, 12, 31), courses=[draft])
    with pytest.raises(RuleViolation, match="完成期限不能早于今天"):
        services.plan_create(**common, deadline=date(2026, 11, 19), courses=[lib.course])
    plan = services.plan_create(**common, deadline=date(2026, 12, 31), courses=[lib.course])
    assert list(plan.courses.all()) == [lib.course]


def test_a_published_course_keeps_its_lessons(world, lib) -> None:
    with pytest.raises(RuleViolation, match="课程已发布"):
        services.lesson_remove(actor=None, scope=SYSTEM, lesson=lib.first)


def test_a_course_without_lessons_cannot_be_published(world) -> None:
    course = services.course_create(
        actor=None, scope=SYSTEM, organization=world.cs, title="空课程", topic="theory", hours=Decimal("1")
    )
    with pytest.raises(RuleViolation, match="还没有课时"):
        services.course_publish(actor=None, scope=SYSTEM, course=course, published=True)
