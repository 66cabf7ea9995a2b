"""The 修改记录 of a material and of a question: each change kept by simple-history with who made it,
shown on the material's page to its organizers (not to its readers) and on the question's page; the
pages stay out of reach of an organizer of another college (404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangjian.accounts.scope import resolve_scope
from dangjian.learning.exams import services as exam_services
from dangjian.learning.exams.selectors import question_history
from dangjian.learning.library import services
from dangjian.learning.library.selectors import material_history
from tests.learning.exams.conftest import make_bank
from tests.learning.library.conftest import article

pytestmark = pytest.mark.django_db


def _edit_material(material, actor) -> None:
    services.material_update(
        actor=actor,
        scope=resolve_scope(actor),
        material=material,
        title="学习党章总纲（修订）",
        topic=material.topic,
        audiences=material.audiences,
        body=material.body,
    )


def test_a_material_keeps_who_changed_which_fields(world, college_organizer) -> None:
    material = article(world.cs, "支部工作规范")
    _edit_material(material, college_organizer)
    events = material_history(material)
    assert [e["type"] for e in events] == ["~", "~", "+"]  # edited, published, created
    latest = events[0]
    assert latest["who"] == college_organizer and latest["changed"] == ["标题"]
    assert events[1]["changed"] == ["已发布"]  # its time of publishing is not listed beside it


def test_the_material_page_shows_its_history_to_organizers_only(
    world, college_organizer, member_user, login
) -> None:
    material = article(world.cs, "支部工作规范")
    _edit_material(material, college_organizer)
    url = reverse("learning:material", args=[material.pk])
    page = login(college_organizer).get(url).content.decode()
    assert "修改记录" in page and "标题" in page and college_organizer.display_name in page
    reader_page = login(member_user).get(url)
    assert reader_page.status_code == 200 and "修改记录" not in reader_page.content.decode()


def test_the_material_page_with_its_history_is_404_to_another_college(
    world, college_organizer, outsider_organizer, login
) -> None:
    material = article(world.cs, "草稿", publish=False)
    assert login(outsider_organizer).get(reverse("learning:material", args=[material.pk])).status_code == 404


def test_a_question_page_shows_who_changed_which_fields(
    world, college_organizer, outsider_organizer, login
) -> None:
    question = make_bank(world.cs, singles=1, multiples=0, true_false=0, fills=0)[0]
    exam_services.question_update(
        actor=college_organizer,
        scope=resolve_scope(college_organizer),
        question=question,
        text="修改后的题干",
        explanation="新的解析",
    )
    events = question_history(question)
    assert [e["type"] for e in events] == ["~", "+"]
    assert events[0]["who"] == college_organizer
    assert set(events[0]["changed"]) == {"题干", "解析"}
    url = reverse("exams:question_edit", args=[question.pk])
    page = login(college_organizer).get(url).content.decode()
    assert "修改记录" in page
    assert "题干、解析" in page or "解析、题干" in page
    assert login(outsider_organizer).get(url).status_code == 404


def test_the_history_is_one_query(world, college_organizer, django_assert_num_queries) -> None:
    material = article(world.cs, "支部工作规范")
    for n in range(5):
        services.material_update(
            actor=college_organizer,
            scope=resolve_scope(college_organizer),
            material=material,
            title=f"第 {n} 版",
            topic=material.topic,
            audiences=material.audiences,
            body=material.body,
        )
    with django_assert_num_queries(1):
        assert len(material_history(material)) == 7
