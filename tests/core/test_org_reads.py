"""The org page's folded reads give what the separate ones gave (issue 20)."""

from __future__ import annotations

import pytest
from django.http import Http404

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import resolve_scope
from dangjian.core.selectors import (
    ancestors_and_children,
    ancestors_in_scope,
    children_of,
    committee_of,
    get_org_for,
    get_org_with_ancestors,
    open_positions,
    org_committee,
    org_facts,
)


def test_org_with_ancestors_equals_the_two_reads(world, school_admin, college_organizer) -> None:
    for user in (school_admin, college_organizer):
        scope = resolve_scope(user)
        for org in (world.cs, world.cs_branch, world.cs_group):
            found, ancestors = get_org_with_ancestors(scope, org.pk)
            assert found == get_org_for(scope, org.pk)
            assert ancestors == ancestors_in_scope(scope, found)


def test_org_with_ancestors_answers_404_outside_the_scope(world, outsider_organizer) -> None:
    with pytest.raises(Http404):
        get_org_with_ancestors(resolve_scope(outsider_organizer), world.cs_branch.pk)
    with pytest.raises(Http404):
        get_org_with_ancestors(resolve_scope(outsider_organizer), "x")
    with pytest.raises(Http404):
        get_org_with_ancestors(resolve_scope(outsider_organizer), world.cs.pk, Permission.VIEW_DUES)


def test_ancestors_and_children_equal_the_two_reads(world, school_admin, college_organizer) -> None:
    for user in (school_admin, college_organizer):
        scope = resolve_scope(user)
        for org in (world.school, world.cs, world.cs_branch):
            if not scope.covers(Permission.VIEW_ORGS, org.path):
                continue
            ancestors, children = ancestors_and_children(scope, org, limit=100)
            assert ancestors == ancestors_in_scope(scope, org)
            assert children == list(children_of(scope, org)[:100])


def test_committee_and_facts_from_open_positions_equal_their_own_reads(world) -> None:
    orgs = [world.cs, world.cs_branch, world.cs_group]
    positions = open_positions(orgs)
    assert org_facts(orgs, positions) == org_facts(orgs)
    for org in orgs:
        assert committee_of(org, positions) == list(org_committee(org))
