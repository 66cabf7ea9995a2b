"""count_together: the counts of several querysets in one query, as each .count() would answer."""

from __future__ import annotations

from dangjian.core.models import Organization, OrgKind, Person
from dangjian.kit.counting import count_together


def test_counts_match_each_count_in_one_query(world, django_assert_num_queries) -> None:
    asked = {
        "branches": Organization.objects.filter(kind=OrgKind.BRANCH),
        "women": Person.objects.filter(gender="female"),
        "distinct": Person.objects.filter(organization__path__startswith=world.cs.path).distinct(),
        "nothing": Person.objects.filter(pk__in=[]),  # matches nothing: answered without SQL
    }
    expected = {name: qs.count() for name, qs in asked.items()}
    assert expected["branches"] == 3 and expected["women"] == 2
    with django_assert_num_queries(1):
        assert count_together(asked) == expected


def test_nothing_asked_asks_nothing(db, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        assert count_together({}) == {}


def test_a_sum_is_asked_in_the_same_query(world, django_assert_num_queries) -> None:
    from django.db.models import Sum

    from dangjian.kit.counting import Summed

    orgs = Organization.objects.filter(path__startswith=world.cs.path)
    expected, n_orgs = orgs.aggregate(n=Sum("depth"))["n"], orgs.count()
    asked = {
        "orgs": orgs,
        "depths": Summed(orgs, "depth"),
        "none": Summed(Organization.objects.filter(pk__in=[]), "depth"),
        "empty": Summed(orgs.filter(name="没有这个组织"), "depth"),
    }
    with django_assert_num_queries(1):
        assert count_together(asked) == {"orgs": n_orgs, "depths": expected, "none": 0, "empty": 0}
