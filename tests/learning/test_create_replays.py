"""The class form posted twice (a double-click, a retry) opens one class: the replay answers as the first
submission did, before the form is validated; a key of a class outside the user's scope is refused, not
replayed. Ten posts at once open one class too (PostgreSQL only: SQLite serializes the requests)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.learning import services
from dangjian.learning.models import ClassKind, TrainingClass
from tests.race import parallel_posts

KEY = "b" * 32


def _form(organizer, **extra: str) -> dict[str, str]:
    return {
        "name": "第 12 期发展对象培训班",
        "kind": ClassKind.CANDIDATE,
        "organizer": str(organizer.pk),
        "starts_on": "2026-10-10",
        "ends_on": "2026-10-12",
        "days": "3",
        "hours": "24",
        "place": "党校报告厅",
        "idempotency_key": KEY,
        **extra,
    }


def test_the_class_form_carries_a_fresh_one_time_key(world, login, college_organizer) -> None:
    client = login(college_organizer)
    first, second = (
        client.get(reverse("learning:class_new")).context["form"]["idempotency_key"].value() for _ in range(2)
    )
    assert len(first) == 32 and first != second


def test_the_edit_form_has_no_key(world, login, college_organizer) -> None:
    training_class = services.training_class_create(
        actor=None,
        scope=Scope.system(),
        organizer=world.cs,
        name="班",
        kind=ClassKind.CANDIDATE,
        starts_on=date(2026, 10, 10),
        ends_on=date(2026, 10, 12),
        days=Decimal("3"),
        hours=Decimal("24"),
    )
    form = (
        login(college_organizer).get(reverse("learning:class_edit", args=[training_class.pk])).context["form"]
    )
    assert "idempotency_key" not in form.fields


def test_the_same_class_form_posted_twice_opens_one_class(world, login, college_organizer) -> None:
    client = login(college_organizer)
    responses = [client.post(reverse("learning:class_new"), _form(world.cs)) for _ in range(2)]
    training_class = TrainingClass.objects.get()
    assert [r.status_code for r in responses] == [302, 302]
    assert {r.url for r in responses} == {reverse("learning:class", args=[training_class.pk])}
    assert training_class.idempotency_key == KEY
    assert AuditEvent.objects.filter(action="learning.class_create").count() == 1
    assert "已创建班次" in client.get(responses[1].url).content.decode()


def test_a_replay_is_answered_before_the_form_is_validated(world, login, college_organizer) -> None:
    client = login(college_organizer)
    client.post(reverse("learning:class_new"), _form(world.cs))
    response = client.post(reverse("learning:class_new"), _form(world.cs, ends_on="2026-10-01"))
    assert response.status_code == 302
    assert response.url == reverse("learning:class", args=[TrainingClass.objects.get().pk])


def test_without_a_key_each_post_is_a_new_class(world, login, college_organizer) -> None:
    client = login(college_organizer)
    for _ in range(2):
        assert (
            client.post(reverse("learning:class_new"), _form(world.cs, idempotency_key="")).status_code == 302
        )
    assert TrainingClass.objects.filter(idempotency_key=None).count() == 2


def test_the_key_of_a_class_outside_the_scope_is_refused_not_replayed(
    world, login, college_organizer, outsider_organizer
) -> None:
    login(college_organizer).post(reverse("learning:class_new"), _form(world.cs))
    response = login(outsider_organizer).post(reverse("learning:class_new"), _form(world.fl))
    assert response.status_code == 200 and "该事项已由他人处理" in response.content.decode()
    assert TrainingClass.objects.get().organizer == world.cs


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent requests need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_ten_posts_of_one_class_form_at_once_open_one_class(world, college_organizer) -> None:
    responses = parallel_posts(college_organizer, reverse("learning:class_new"), _form(world.cs))
    training_class = TrainingClass.objects.get()
    assert [r.status_code for r in responses] == [302] * 10
    assert {r.url for r in responses} == {reverse("learning:class", args=[training_class.pk])}
    assert AuditEvent.objects.filter(action="learning.class_create").count() == 1
