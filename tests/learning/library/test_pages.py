"""学习库 pages: who sees what (published to their organization or one above and to their audience),
the reader reporting progress, files with byte ranges, organizers' pages, outsiders refused (404) on
every object and every POST, and list pages whose queries do not grow with their rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.learning.library import services
from dangjian.learning.library.models import Course, LessonProgress, Material, StudyPlan
from dangjian.learning.models import StudyHours
from tests import factories as f
from tests.learning.library.conftest import SYSTEM, article

pytestmark = pytest.mark.django_db


def test_the_library_shows_what_is_published_to_the_reader(world, lib, member_user, login) -> None:
    page = login(member_user).get(reverse("learning:library")).content.decode()
    assert "学习党章总纲" in page and "计算机学院支部工作规范" in page
    assert "外国语学院学习材料" not in page  # another college's
    assert "端正入党动机" not in page  # for activists only


def test_the_library_searches_titles_and_filters(world, lib, member_user, login) -> None:
    client = login(member_user)
    page = client.get(reverse("learning:library") + "?q=党章").content.decode()
    assert "学习党章总纲" in page and "计算机学院支部工作规范" not in page
    assert "学习党章总纲" not in client.get(reverse("learning:library") + "?kind=video").content.decode()


def test_a_member_of_another_college_gets_404_for_a_college_material(world, lib, login) -> None:
    fl_user = f.user_for(world.fl_member, "fl_member")
    client = login(fl_user)
    assert client.get(reverse("learning:material", args=[lib.cs_material.pk])).status_code == 404
    assert client.get(reverse("learning:course", args=[lib.course.pk])).status_code == 404
    assert client.get(reverse("learning:material", args=[lib.school_material.pk])).status_code == 200
    assert client.get(reverse("learning:material", args=[lib.fl_material.pk])).status_code == 200


def test_an_unpublished_material_is_seen_by_its_organizers_only(
    world, member_user, college_organizer, login
) -> None:
    draft = article(world.cs, "草稿资料", publish=False)
    url = reverse("learning:material", args=[draft.pk])
    assert login(member_user).get(url).status_code == 404
    assert "草稿资料" in login(college_organizer).get(url).content.decode()


def test_outsiders_get_404_on_every_object(world, lib, outsider_organizer, login) -> None:
    client = login(outsider_organizer)
    plan = services.plan_create(
        actor=None,
        scope=SYSTEM,
        organization=world.cs,
        title="计划",
        deadline=date(2099, 1, 1),
        courses=[lib.course],
        today=date(2026, 1, 1),
    )
    for url in (
        reverse("learning:material", args=[lib.cs_material.pk]),
        reverse("learning:material_file", args=[lib.cs_material.pk]),
        reverse("learning:course", args=[lib.course.pk]),
        reverse("learning:course_edit", args=[lib.course.pk]),
        reverse("learning:lesson_new", args=[lib.course.pk]),
        reverse("learning:study_plan", args=[plan.pk]),
        reverse("learning:study_plan_export", args=[plan.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_outsiders_are_refused_on_every_post(world, lib, outsider_organizer, login) -> None:
    client = login(outsider_organizer)
    posts = {
        reverse("learning:material_publish", args=[lib.cs_material.pk]): {"published": "0"},
        reverse("learning:material_edit", args=[lib.cs_material.pk]): {
            "title": "改",
            "topic": "charter",
            "audiences": ["member"],
            "body": "x",
        },
        reverse("learning:course_publish", args=[lib.course.pk]): {"published": "0"},
        reverse("learning:course_edit", args=[lib.course.pk]): {
            "title": "x",
            "topic": "charter",
            "hours": "1",
        },
        reverse("learning:lesson_new", args=[lib.course.pk]): {"material": lib.fl_material.pk, "hours": "1"},
        reverse("learning:lesson_remove", args=[lib.first.pk]): {},
        reverse("learning:lesson_move", args=[lib.second.pk]): {"position": "1"},
        reverse("learning:lesson_progress", args=[lib.first.pk]): {"percent": "50"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    made = client.post(
        reverse("learning:course_new"),
        {"title": "外院越权", "topic": "charter", "organization": world.cs.pk, "hours": "1"},
    )
    assert made.status_code == 200 and not Course.objects.filter(title="外院越权").exists()
    lib.cs_material.refresh_from_db()
    lib.course.refresh_from_db()
    assert lib.cs_material.published and lib.course.published and lib.course.title == "支部工作实务"
    assert not AuditEvent.objects.filter(actor=outsider_organizer).exists()


def test_the_reader_reports_progress_and_finishes_the_course(world, lib, member_user, login) -> None:
    client = login(member_user)
    page = client.get(reverse("learning:material", args=[lib.cs_material.pk]) + f"?lesson={lib.first.pk}")
    assert reverse("learning:lesson_progress", args=[lib.first.pk]) in page.content.decode()
    url = reverse("learning:lesson_progress", args=[lib.first.pk])
    assert client.post(url, {"percent": "100"}).json() == {"percent": 100, "done": True, "completed": False}
    backwards = client.post(url, {"percent": "50"})
    assert backwards.status_code == 400 and "进度不能倒退" in backwards.json()["message"]
    beyond = client.post(url, {"percent": "120"})
    assert beyond.status_code == 400 and "0 到 100" in beyond.json()["message"]
    assert client.post(url, {"percent": "abc"}).status_code == 400
    second = reverse("learning:lesson_progress", args=[lib.second.pk])
    assert client.post(second, {"position": "95", "duration": "100"}).json()["completed"] is True
    assert StudyHours.objects.filter(person=world.member, source_kind="course").count() == 1
    course_page = client.get(reverse("learning:course", args=[lib.course.pk])).content.decode()
    assert "已完成，学时已计入台账" in course_page


def test_a_lesson_of_another_material_is_not_opened_beside_it(world, lib, member_user, login) -> None:
    url = reverse("learning:material", args=[lib.school_material.pk]) + f"?lesson={lib.first.pk}"
    assert login(member_user).get(url).status_code == 404


@pytest.fixture
def pdf(world, settings, tmp_path) -> Material:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    material = services.material_create(
        actor=None,
        scope=SYSTEM,
        organization=world.cs,
        title="党章（PDF）",
        kind="document",
        topic="charter",
        audiences=["member"],
        upload=SimpleUploadedFile("党章.pdf", b"%PDF" + bytes(range(96))),
    )
    return services.material_publish(actor=None, scope=SYSTEM, material=material, published=True)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(
    ("header", "status", "content_range", "expected"),
    [
        ("bytes=0-3", 206, "bytes 0-3/100", b"%PDF"),
        ("bytes=98-", 206, "bytes 98-99/100", bytes([94, 95])),
        ("bytes=-2", 206, "bytes 98-99/100", bytes([94, 95])),
        ("bytes=100-", 416, "bytes */100", b""),
        ("bytes=0-1,5-6", 416, "bytes */100", b""),
    ],
)
def test_files_are_served_in_byte_ranges(
    pdf, member_user, login, header, status, content_range, expected
) -> None:
    response = login(member_user).get(reverse("learning:material_file", args=[pdf.pk]), HTTP_RANGE=header)
    assert response.status_code == status
    assert response["Content-Range"] == content_range
    assert _body(response) == expected


def test_a_file_without_a_range_is_served_whole(pdf, member_user, login) -> None:
    response = login(member_user).get(reverse("learning:material_file", args=[pdf.pk]))
    assert response.status_code == 200 and response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "application/pdf" and len(_body(response)) == 100


def test_an_organizer_uploads_and_publishes_a_material(
    world, college_organizer, login, settings, tmp_path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = login(college_organizer)
    response = client.post(
        reverse("learning:material_new"),
        {
            "title": "学习录音",
            "kind": "audio",
            "topic": "history",
            "organization": world.cs.pk,
            "audiences": ["member", "cadre"],
            "file": SimpleUploadedFile("录音.mp3", b"ID3" + b"0" * 50),
        },
    )
    material = Material.objects.get(title="学习录音")
    assert response.status_code == 302 and not material.published
    client.post(reverse("learning:material_publish", args=[material.pk]), {"published": "1"})
    material.refresh_from_db()
    assert material.published
    assert AuditEvent.objects.filter(action="learning.material_publish", actor=college_organizer).exists()
    page = client.get(reverse("learning:material", args=[material.pk])).content.decode()
    assert "<audio" in page


def test_an_organizer_edits_a_material_and_the_log_says_what_changed(
    world, lib, college_organizer, login
) -> None:
    url = reverse("learning:material_edit", args=[lib.cs_material.pk])
    response = login(college_organizer).post(
        url,
        {
            "title": "支部工作规范（修订）",
            "topic": "practice",
            "audiences": ["member", "secretary"],
            "body": "新正文",
        },
    )
    assert response.status_code == 302
    lib.cs_material.refresh_from_db()
    assert (lib.cs_material.title, lib.cs_material.audiences) == (
        "支部工作规范（修订）",
        ["member", "secretary"],
    )
    event = AuditEvent.objects.get(action="learning.material_update")
    assert event.changes["title"] == ["计算机学院支部工作规范", "支部工作规范（修订）"]
    assert event.changes["body"] == "正文已修改"


def test_an_organizer_builds_a_course(world, lib, college_organizer, login) -> None:
    client = login(college_organizer)
    client.post(
        reverse("learning:course_new"),
        {"title": "新课程", "topic": "theory", "organization": world.cs.pk, "hours": "2"},
    )
    course = Course.objects.get(title="新课程")
    client.post(
        reverse("learning:lesson_new", args=[course.pk]), {"material": lib.cs_material.pk, "hours": "1"}
    )
    assert course.lessons.count() == 1
    client.post(reverse("learning:course_publish", args=[course.pk]), {"published": "1"})
    course.refresh_from_db()
    assert course.published and course.quiz_id is None


def test_a_bad_course_form_shows_chinese_errors_and_writes_nothing(world, college_organizer, login) -> None:
    response = login(college_organizer).post(
        reverse("learning:course_new"),
        {"title": "超时课程", "topic": "theory", "organization": world.cs.pk, "hours": "500"},
    )
    assert response.status_code == 200 and not Course.objects.filter(title="超时课程").exists()
    assert "课程学时应大于 0 且不超过" in response.content.decode()


# ---------------------------------------------------------------- plans


@pytest.fixture
def plan(world, lib) -> StudyPlan:
    return services.plan_create(
        actor=None,
        scope=SYSTEM,
        organization=world.school,
        title="2026年党员网上学习计划",
        deadline=date(2026, 12, 31),
        courses=[lib.course],
        today=date(2026, 11, 1),
    )


def _finish(person, lib) -> None:
    for lesson in (lib.first, lib.second):
        services.progress_report(actor=None, person_id=person.pk, lesson=lesson, percent=100)


def test_the_plan_rolls_up_per_college_and_drills_down(world, lib, plan, school_admin, login) -> None:
    _finish(world.member, lib)
    client = login(school_admin)
    from dangjian.learning.library.selectors import plan_rollup

    whole, lines = plan_rollup(plan, world.school)
    by_org = {line.org: (line.people, line.complete) for line in lines}
    assert by_org == {world.cs: (3, 1), world.fl: (3, 0)}
    assert (whole.people, whole.complete) == (6, 1)
    page = client.get(reverse("learning:study_plan", args=[plan.pk])).content.decode()
    assert "中共示范大学计算机学院委员会" in page
    branch = client.get(reverse("learning:study_plan", args=[plan.pk]) + f"?org={world.cs_branch.pk}")
    text = branch.content.decode()
    assert "李晓红" in text and "1/1" in text
    export = client.get(reverse("learning:study_plan_export", args=[plan.pk]) + f"?org={world.cs.pk}")
    assert export.status_code == 200
    assert AuditEvent.objects.filter(action="learning.plan_export").exists()


def test_a_drill_down_outside_the_plan_is_404(world, plan, college_organizer, school_admin, login) -> None:
    other = services.plan_create(
        actor=None,
        scope=SYSTEM,
        organization=world.cs,
        title="学院计划",
        deadline=date(2099, 12, 31),
        courses=list(plan.courses.all()),
        today=date(2026, 11, 1),
    )
    client = login(college_organizer)
    assert client.get(reverse("learning:study_plan", args=[plan.pk])).status_code == 404  # the school's
    assert (
        client.get(reverse("learning:study_plan", args=[other.pk]) + f"?org={world.fl.pk}").status_code == 404
    )


@time_machine.travel("2026-11-20 12:00+08:00", tick=False)
def test_my_learning_lists_the_planned_courses_with_progress(world, lib, plan, member_user, login) -> None:
    services.progress_report(actor=None, person_id=world.member.pk, lesson=lib.first, percent=100)
    page = login(member_user).get(reverse("learning:me")).content.decode()
    assert "学习计划中的课程" in page and "支部工作实务" in page and "1/2 课" in page


# ---------------------------------------------------------------- query bounds


def _many(world, n: int = 30) -> None:
    for i in range(n):
        org = world.cs if i % 2 else world.school
        material = article(org, f"资料{i}")
        course = services.course_create(
            actor=None, scope=SYSTEM, organization=org, title=f"课程{i}", topic="theory", hours=Decimal("1")
        )
        services.lesson_add(actor=None, scope=SYSTEM, course=course, material=material, hours=Decimal("1"))
        services.course_publish(actor=None, scope=SYSTEM, course=course, published=True)


def test_list_pages_do_not_grow_with_their_rows(
    world, lib, member_user, college_organizer, login, django_assert_max_num_queries
) -> None:
    _many(world)
    plan = services.plan_create(
        actor=None,
        scope=SYSTEM,
        organization=world.school,
        title="计划",
        deadline=date(2099, 12, 31),
        courses=list(Course.objects.all()[:20]),
        today=date(2026, 1, 1),
    )
    for i in range(20):
        f.member(world.cs_branch2, f"学生{i}")
    member, organizer = login(member_user), login(college_organizer)
    for client, url in (
        (member, reverse("learning:library")),
        (member, reverse("learning:courses")),
        (member, reverse("learning:me")),
        (organizer, reverse("learning:library")),
        (organizer, reverse("learning:study_plans")),
    ):
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200
    admin = login(f.user_for(None, "admin2", ("school_admin", world.school)))
    with django_assert_max_num_queries(16):
        assert (
            admin.get(
                reverse("learning:study_plan", args=[plan.pk]) + f"?org={world.cs.pk}&list=1"
            ).status_code
            == 200
        )


def test_progress_rows_are_only_the_readers(world, lib, member_user, login) -> None:
    login(member_user).post(reverse("learning:lesson_progress", args=[lib.first.pk]), {"percent": "10"})
    assert list(LessonProgress.objects.values_list("person_id", flat=True)) == [world.member.pk]


def test_a_course_page_and_the_api_list_do_not_grow_with_lessons(
    world, lib, member_user, login, django_assert_max_num_queries
) -> None:
    course = services.course_create(
        actor=None, scope=SYSTEM, organization=world.cs, title="长课程", topic="theory", hours=Decimal("10")
    )
    for i in range(25):
        services.lesson_add(
            actor=None,
            scope=SYSTEM,
            course=course,
            material=article(world.cs, f"第{i}讲"),
            hours=Decimal("1"),
        )
    services.course_publish(actor=None, scope=SYSTEM, course=course, published=True)
    for lesson in course.lessons.all()[:5]:
        services.progress_report(actor=None, person_id=world.member.pk, lesson=lesson, percent=100)
    client = login(member_user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("learning:course", args=[course.pk]))
    assert page.status_code == 200 and page.content.decode().count("✓") == 5
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/learning/courses").json()["count"] == 2
