"""Reordering a course's lessons: the pure order rule, the service keeping positions 1..n under a lock
and audited, the course edit page's controls, and an organizer of another college refused (404)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from dangjian.accounts.scope import resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import NotFound
from dangjian.learning.library import rules, services
from dangjian.learning.library.models import Lesson
from tests.learning.library.conftest import SYSTEM, article


@pytest.mark.parametrize(
    ("moving", "to", "expected"),
    [
        (3, 1, [3, 1, 2]),
        (1, 3, [2, 3, 1]),
        (2, 2, [1, 2, 3]),
        (2, 1, [2, 1, 3]),
        (2, 0, [2, 1, 3]),  # before the first: first
        (2, 9, [1, 3, 2]),  # beyond the last: last
        (1, 1, [1, 2, 3]),
    ],
)
def test_a_lesson_moves_to_its_position_and_the_others_close_up(moving, to, expected) -> None:
    assert rules.moved_order([1, 2, 3], moving, to) == expected


def _positions(course) -> list[tuple[str, int]]:
    return list(
        Lesson.objects.filter(course=course).order_by("position").values_list("material__title", "position")
    )


@pytest.fixture
def three(world, lib):
    third = services.lesson_add(
        actor=None,
        scope=SYSTEM,
        course=services.course_publish(actor=None, scope=SYSTEM, course=lib.course, published=False),
        material=article(world.cs, "第三课材料"),
        hours=Decimal("1"),
    )
    return lib.first, lib.second, third


@pytest.mark.django_db
def test_moving_a_lesson_keeps_positions_contiguous_and_is_audited(world, lib, three) -> None:
    first, second, third = three
    services.lesson_move(actor=None, scope=SYSTEM, lesson=third, position=1)
    assert _positions(lib.course) == [("第三课材料", 1), ("计算机学院支部工作规范", 2), ("学习党章总纲", 3)]
    event = AuditEvent.objects.get(action="learning.lesson_move")
    assert event.changes["position"] == [3, 1]
    assert event.changes["order"] == [third.pk, first.pk, second.pk]
    services.lesson_move(actor=None, scope=SYSTEM, lesson=third, position=99)
    assert [p for _t, p in _positions(lib.course)] == [1, 2, 3]
    assert Lesson.objects.get(pk=third.pk).position == 3


@pytest.mark.django_db
def test_moving_a_lesson_where_it_stands_writes_nothing(world, lib) -> None:
    services.lesson_move(actor=None, scope=SYSTEM, lesson=lib.first, position=1)
    assert not AuditEvent.objects.filter(action="learning.lesson_move").exists()


@pytest.mark.django_db
def test_a_published_course_may_be_reordered(world, lib) -> None:
    services.lesson_move(actor=None, scope=SYSTEM, lesson=lib.second, position=1)
    assert _positions(lib.course) == [("学习党章总纲", 1), ("计算机学院支部工作规范", 2)]


@pytest.mark.django_db
def test_an_organizer_of_another_college_cannot_move_a_lesson(world, lib, outsider_organizer) -> None:
    with pytest.raises(NotFound):
        services.lesson_move(
            actor=outsider_organizer, scope=resolve_scope(outsider_organizer), lesson=lib.second, position=1
        )
    assert Lesson.objects.get(pk=lib.second.pk).position == 2


@pytest.mark.django_db
def test_the_course_edit_page_moves_lessons_up_down_and_to_a_position(
    world, lib, three, college_organizer, login
) -> None:
    first, second, third = three
    client = login(college_organizer)
    edit = reverse("learning:course_edit", args=[lib.course.pk])
    page = client.get(edit).content.decode()
    assert "课时顺序" in page and reverse("learning:lesson_move", args=[third.pk]) in page
    move = reverse("learning:lesson_move", args=[third.pk])
    response = client.post(move, {"direction": "up"})
    assert response.status_code == 302 and response["Location"] == edit
    assert [t for t, _p in _positions(lib.course)] == ["计算机学院支部工作规范", "第三课材料", "学习党章总纲"]
    client.post(reverse("learning:lesson_move", args=[first.pk]), {"direction": "down"})
    client.post(reverse("learning:lesson_move", args=[second.pk]), {"position": "1"})
    assert [t for t, _p in _positions(lib.course)] == ["学习党章总纲", "第三课材料", "计算机学院支部工作规范"]
    assert AuditEvent.objects.filter(action="learning.lesson_move", actor=college_organizer).count() == 3
    bad = client.post(move, {"position": "第一"}, follow=True)
    assert "请填写课时的新序号" in bad.content.decode()
    assert AuditEvent.objects.filter(action="learning.lesson_move").count() == 3


@pytest.mark.django_db
def test_an_outsider_gets_404_moving_a_lesson(world, lib, outsider_organizer, member_user, login) -> None:
    move = reverse("learning:lesson_move", args=[lib.second.pk])
    assert login(outsider_organizer).post(move, {"direction": "up"}).status_code == 404
    assert login(member_user).post(move, {"direction": "up"}).status_code == 404
    assert Lesson.objects.get(pk=lib.second.pk).position == 2
    assert not AuditEvent.objects.filter(action="learning.lesson_move").exists()
