"""List pages keep a fixed number of queries whatever the number of rows (≥ 200 rows here)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dangjian.core import services
from dangjian.core.models import ON_ROLL_STANDINGS, Membership, MembershipType, OrgKind
from tests import factories as f


@pytest.fixture
def crowded(world):
    """220 extra people in CS: 12 branches of members plus non-members, and audit events for each."""
    branches = [
        f.org(world.cs, OrgKind.BRANCH, f"计算机学院第{i}党支部", term_started_on=date(2024, 1, 1))
        for i in range(12)
    ]
    for i in range(220):
        branch = branches[i % len(branches)]
        p = f.person(f"成员{i}", organization=branch)
        if i % 3:
            services.membership_admit_existing(
                actor=None,
                person=p,
                organization=branch,
                membership_type=MembershipType.FULL,
                joined_on=date(2010, 1, 1),
                full_on=date(2011, 1, 1),
            )
    return branches


# Measured counts plus a small margin; they must not move with the number of rows. A first request: it
# also reads the user's grants and the bell (2 queries), cached afterwards (ADR 0004).
MAX_QUERIES = {
    "core:person_list": 7,
    "core:org_tree": 10,
    "core:rule_checks": 8,
    "audit:log": 8,
    # session, user, the grants and the bell (first request), counts (1), rule checks (2), the to-dos (one
    # statement for every counting provider and the dues' unpaid sum, the alerts' grouped count shared
    # with the 预警 tile), the tiles (transfers' months and colleges 2, the 组织生活 branches 1; the plans'
    # and declarations' figures are the to-dos' own)
    "web:home": 12,
}


@pytest.mark.parametrize("name", list(MAX_QUERIES))
def test_list_pages_have_bounded_queries(
    name, crowded, login, school_admin, django_assert_max_num_queries
) -> None:
    client = login(school_admin)
    with django_assert_max_num_queries(MAX_QUERIES[name]):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_person_list_pages_with_many_rows(
    crowded, login, school_admin, django_assert_max_num_queries
) -> None:
    client = login(school_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("core:person_list") + "?page=3")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 30


def _on_roll_under(org) -> int:
    """The org page's member total, counted live."""
    return Membership.objects.filter(
        organization__path__startswith=org.path, standing__in=ON_ROLL_STANDINGS
    ).count()


def test_org_detail_with_many_members(
    crowded, world, login, school_admin, django_assert_max_num_queries
) -> None:
    client = login(school_admin)
    with django_assert_max_num_queries(10):  # cold: 8 warm
        response = client.get(reverse("core:org_detail", args=[world.cs.pk]))
    assert response.status_code == 200
    # The total comes from the summaries (its own members, its children's counter rows), not a COUNT.
    assert response.context["members"].paginator.count == _on_roll_under(world.cs) > 140


def test_an_org_with_more_children_than_a_page_counts_its_members_live(
    crowded, world, login, school_admin, monkeypatch
) -> None:
    from dangjian.core import views

    monkeypatch.setattr(views, "CHILDREN_PAGE", 1)  # the college's branches no longer fit on the page
    response = login(school_admin).get(reverse("core:org_detail", args=[world.cs.pk]))
    assert response.context["members"].paginator.count == _on_roll_under(world.cs) > 140


def test_org_children_partial_is_bounded(
    crowded, world, login, school_admin, django_assert_max_num_queries
) -> None:
    client = login(school_admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("core:org_children", args=[world.cs.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('class="tree-row"') == 14


def test_person_detail_history_is_bounded(world, login, school_admin, django_assert_max_num_queries) -> None:
    for n in range(30):  # 30 edits: 30 history rows
        services.person_update(actor=None, person=world.member, title=f"职称{n}")
    client = login(school_admin)
    client.get(f"/people/{world.member.pk}/")  # warms the scope and the bell (ADR 0004)
    with django_assert_max_num_queries(
        12
    ):  # 10 (the page, with 民主评议's past grades and the 志愿服务 card), the two as of the date
        response = client.get(f"/people/{world.member.pk}/?as_of=2020-01-01")
    assert response.status_code == 200
    assert "职务/职称" in response.content.decode()
    with django_assert_max_num_queries(6):  # the timeline: three reads, whatever the number of edits
        response = client.get(f"/people/{world.member.pk}/history/", HTTP_HX_REQUEST="true")
    assert response.content.decode().count("timeline-item") >= 31  # the 30 edits are all there


def test_the_people_list_counts_at_most_the_cap(world, login, school_admin, monkeypatch) -> None:
    from django.urls import reverse

    from dangjian.kit.paginator import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 3)
    # a filter the counter table does not hold (by organization and status it knows the exact total)
    page = login(school_admin).get(reverse("core:person_list") + "?person_type=staff").content.decode()
    assert "共 3 条" in page and "超过此数的部分不再计数" in page


def test_the_dashboard_aggregates_no_people_and_needs_no_cache(
    crowded, login, school_admin, settings
) -> None:
    # Issue 20: the counts come from the counter table, the rule checks from its stored outcomes — a cold
    # dashboard never scans people, memberships or positions, whatever their number.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.DASHBOARD_CACHE_SECONDS = 0
    client = login(school_admin)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("web:home"))
    assert response.status_code == 200
    scanned = [
        q["sql"]
        for q in ctx.captured_queries
        if any(f'FROM "{t}"' in q["sql"] for t in ("core_person", "core_membership", "core_position"))
    ]
    assert scanned == []
