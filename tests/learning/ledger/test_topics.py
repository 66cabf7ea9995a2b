"""专题培训 recorded by an organization: checked at the edge, its people counted once each, a person
removed by a reversing row (the ledger is append-only), the yearly totals kept equal to the rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangjian.accounts.scope import resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import NotFound, RuleViolation
from dangjian.learning.ledger import services
from dangjian.learning.models import SourceKind, StudyHours, StudyYear, TopicTraining

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


def _topic(world, actor, **extra):
    values = {"title": "二十届四中全会精神专题培训", "on": date(2026, 10, 9), "hours": Decimal("6")}
    values.update(extra)
    return services.topic_create(
        actor=actor,
        scope=resolve_scope(actor),
        organizer=extra.pop("organizer", world.cs),
        today=TODAY,
        **values,
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"title": " "}, "请填写培训名称"),
        ({"on": date(2026, 11, 21)}, "培训日期不能晚于今天"),
        ({"hours": Decimal("0")}, "学时应大于 0"),
        ({"hours": Decimal("200.1")}, "不超过 200"),
    ],
)
def test_bad_input_is_refused_in_chinese(world, college_organizer, extra, message) -> None:
    with pytest.raises(RuleViolation, match=message):
        _topic(world, college_organizer, **extra)
    assert not TopicTraining.objects.exists()


def test_an_outsider_cannot_record_for_a_college_not_theirs(world, outsider_organizer) -> None:
    with pytest.raises(NotFound):
        _topic(world, outsider_organizer)


def test_the_same_form_twice_records_one_training(world, college_organizer) -> None:
    first = _topic(world, college_organizer, idempotency_key="k1")
    again = _topic(world, college_organizer, idempotency_key="k1")
    assert first.pk == again.pk and TopicTraining.objects.count() == 1


def test_people_counted_once_removed_by_a_reversal_and_counted_again(world, college_organizer) -> None:
    scope = resolve_scope(college_organizer)
    topic = _topic(world, college_organizer)
    ids = [world.member.pk, world.secretary.pk]
    assert services.topic_people_add(actor=college_organizer, scope=scope, topic=topic, person_ids=ids) == 2
    assert services.topic_people_add(actor=college_organizer, scope=scope, topic=topic, person_ids=ids) == 0
    assert StudyYear.objects.get(person=world.member, year=2026).hours == Decimal("6")

    assert services.topic_person_remove(
        actor=college_organizer, scope=scope, topic=topic, person_id=world.member.pk
    )
    reversal = StudyHours.objects.get(person=world.member, source_kind=SourceKind.CORRECTION)
    assert (reversal.hours, reversal.on, reversal.reverses.source_ref) == (
        Decimal("-6"),
        date(2026, 10, 9),
        f"topic:{topic.pk}:{world.member.pk}",
    )
    assert StudyYear.objects.get(person=world.member, year=2026).hours == Decimal("0")
    assert not services.topic_person_remove(
        actor=college_organizer, scope=scope, topic=topic, person_id=world.member.pk
    )

    services.topic_people_add(actor=college_organizer, scope=scope, topic=topic, person_ids=[world.member.pk])
    refs = sorted(StudyHours.objects.filter(person=world.member).values_list("source_ref", flat=True))
    assert refs == sorted(
        [
            f"topic:{topic.pk}:{world.member.pk}",
            f"topic:{topic.pk}:{world.member.pk}:2",
            f"reverses:{reversal.reverses_id}",
        ]
    )
    assert StudyYear.objects.get(person=world.member, year=2026).hours == Decimal("6")
    assert AuditEvent.objects.filter(action__startswith="learning.topic").count() == 4


def test_people_outside_the_organizer_are_refused_and_nothing_is_written(world, college_organizer) -> None:
    topic = _topic(world, college_organizer)
    with pytest.raises(RuleViolation, match="不在“中共示范大学计算机学院委员会”"):
        services.topic_people_add(
            actor=college_organizer,
            scope=resolve_scope(college_organizer),
            topic=topic,
            person_ids=[world.member.pk, world.fl_member.pk],
        )
    assert not StudyHours.objects.exists()


def test_an_outsider_cannot_add_people_to_anothers_training(
    world, college_organizer, outsider_organizer
) -> None:
    topic = _topic(world, college_organizer)
    with pytest.raises(NotFound):
        services.topic_people_add(
            actor=outsider_organizer,
            scope=resolve_scope(outsider_organizer),
            topic=topic,
            person_ids=[world.fl_member.pk],
        )


def test_a_branch_secretary_records_for_the_branch_only(world, branch_secretary) -> None:
    user = branch_secretary
    scope = resolve_scope(user)
    topic = services.topic_create(
        actor=user,
        scope=scope,
        organizer=world.cs_branch,
        title="支部专题学习",
        on=date(2026, 11, 2),
        hours=Decimal("2"),
        today=TODAY,
    )
    assert services.topic_people_add(actor=user, scope=scope, topic=topic, person_ids=[world.member.pk]) == 1
    with pytest.raises(NotFound):
        services.topic_create(
            actor=user,
            scope=scope,
            organizer=world.cs,
            title="x",
            on=date(2026, 11, 2),
            hours=Decimal("2"),
            today=TODAY,
        )
