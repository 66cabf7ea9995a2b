"""The people list's total from the counter table: equal to counting the list, and no COUNT runs."""

from __future__ import annotations

import pytest

from dangjian.accounts.scope import resolve_scope
from dangjian.core.models import PoliticalStatus
from dangjian.core.selectors import person_list, person_list_total
from tests import factories as f


@pytest.mark.parametrize("status", ["", *PoliticalStatus.values])
def test_the_total_by_organization_and_status_equals_the_list_count(
    world, school_admin, college_organizer, status
) -> None:
    f.person("离校者", organization=world.cs_branch)  # one more, so the colleges differ
    for user in (school_admin, college_organizer):
        scope = resolve_scope(user)
        for org in (None, world.cs, world.cs_branch):
            if org is not None and not scope.covers("view_people", org.path):
                continue
            filters = {"political_status": status, "org": org}
            assert person_list_total(scope, **filters) == person_list(scope, **filters).count()


def test_a_search_or_another_filter_is_counted_by_the_list(world, school_admin) -> None:
    scope = resolve_scope(school_admin)
    assert person_list_total(scope, query="li") is None
    assert person_list_total(scope, person_type="staff") is None
    assert person_list_total(scope, unit="计算机") is None


def test_the_list_page_reads_its_total_without_counting(client, world, school_admin) -> None:
    client.force_login(school_admin)
    response = client.get("/people/?political_status=full")
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == person_list(resolve_scope(school_admin), political_status="full").count()
