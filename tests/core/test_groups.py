"""The named groups of people (core.groups): one person's groups in one query, and the same rule as a
filter over people — the two must agree."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.core.groups import PersonGroup, group_labels, groups_of, in_groups_q
from dangjian.core.models import Cadre, Person, PoliticalStatus, Position, PositionTitle
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 30)


def _activist(org, name: str = "积极分子") -> Person:
    person = f.person(name, organization=org)
    Person.objects.filter(pk=person.pk).update(political_status=PoliticalStatus.ACTIVIST)
    return person


def test_a_persons_groups_come_from_status_cadre_record_and_a_current_secretary_post(
    world, django_assert_num_queries
) -> None:
    Cadre.objects.create(person=world.secretary, post="副院长", rank="division", unit="计算机学院")
    with django_assert_num_queries(1):
        found = groups_of(world.secretary.pk, TODAY)
    assert found.org_path == world.cs_branch.path and found.status == PoliticalStatus.FULL
    assert found.groups == (PersonGroup.MEMBER, PersonGroup.CADRE, PersonGroup.SECRETARY)
    assert groups_of(world.member.pk, TODAY).groups == (PersonGroup.MEMBER,)
    assert groups_of(_activist(world.cs_branch).pk, TODAY).groups == (PersonGroup.ACTIVIST,)
    assert groups_of(None, TODAY).groups == () and groups_of(999_999, TODAY).org_path == ""


def test_an_ended_secretary_post_no_longer_counts(world) -> None:
    Position.objects.filter(person=world.secretary, title=PositionTitle.SECRETARY).update(ended_on=TODAY)
    assert PersonGroup.SECRETARY not in groups_of(world.secretary.pk, TODAY).groups
    assert PersonGroup.SECRETARY in groups_of(world.secretary.pk, date(2026, 11, 29)).groups


@pytest.mark.parametrize(
    "groups",
    [
        (PersonGroup.MEMBER,),
        (PersonGroup.ACTIVIST,),
        (PersonGroup.SECRETARY,),
        (PersonGroup.CADRE, PersonGroup.ACTIVIST),
        (),
        ("nobody",),
    ],
)
def test_the_filter_over_people_agrees_with_each_persons_groups(world, groups) -> None:
    _activist(world.cs_branch)
    Cadre.objects.create(person=world.fl_member, post="处长", rank="division", unit="外国语学院")
    chosen = set(groups)
    expected = {p.pk for p in Person.objects.all() if chosen & set(groups_of(p.pk, TODAY).groups)}
    found = set(Person.objects.filter(in_groups_q(groups, TODAY)).values_list("pk", flat=True))
    assert found == expected


def test_the_labels_follow_the_groups_order() -> None:
    assert group_labels(["secretary", "activist", "x"]) == ["入党积极分子", "书记"]
