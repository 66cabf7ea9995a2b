"""学习库 fixtures: materials of the school and of the computer-science college, and a published course
of the college with two article lessons."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from dangjian.accounts.scope import Scope
from dangjian.learning.library import services
from dangjian.learning.library.models import Audience, Course, Lesson, Material

SYSTEM = Scope.system()


def article(org, title: str, audiences=(Audience.MEMBER,), publish: bool = True) -> Material:
    material = services.material_create(
        actor=None,
        scope=SYSTEM,
        organization=org,
        title=title,
        kind="article",
        topic="charter",
        audiences=list(audiences),
        body="第一段。\n\n第二段。",
    )
    if publish:
        material = services.material_publish(actor=None, scope=SYSTEM, material=material, published=True)
    return material


@dataclass
class Library:
    school_material: Material
    cs_material: Material
    activist_material: Material
    fl_material: Material
    course: Course
    first: Lesson
    second: Lesson


@pytest.fixture
def lib(world) -> Library:
    school_material = article(world.school, "学习党章总纲")
    cs_material = article(world.cs, "计算机学院支部工作规范")
    activist_material = article(world.school, "端正入党动机", audiences=(Audience.ACTIVIST,))
    fl_material = article(world.fl, "外国语学院学习材料")
    course = services.course_create(
        actor=None,
        scope=SYSTEM,
        organization=world.cs,
        title="支部工作实务",
        topic="practice",
        hours=Decimal("4"),
    )
    first = services.lesson_add(
        actor=None, scope=SYSTEM, course=course, material=cs_material, hours=Decimal("1")
    )
    second = services.lesson_add(
        actor=None, scope=SYSTEM, course=course, material=school_material, hours=Decimal("1")
    )
    course = services.course_publish(actor=None, scope=SYSTEM, course=course, published=True)
    return Library(school_material, cs_material, activist_material, fl_material, course, first, second)
