"""The request's scope comes from the cache under the user's scope version (ADR 0004): every write the
grants depend on is seen on the very next request, a warm request reads no role or position, and a
broken cache only costs the two queries it would have spared."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.accounts import services as account_services
from dangjian.accounts.models import User
from dangjian.accounts.roles import Role
from dangjian.accounts.scope import cached_scope, resolve_scope, scope_changed
from dangjian.core import services
from dangjian.core.models import Organization, Position, PositionTitle

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    """The user as a request reads it (with the version the writes bumped)."""
    return User.objects.get(pk=user.pk)


def _grant_queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return [
        q["sql"]
        for q in ctx.captured_queries
        if "accounts_roleassignment" in q["sql"] or "core_position" in q["sql"]
    ]


def test_the_cached_scope_equals_a_fresh_resolve(world, branch_secretary, college_organizer) -> None:
    for user in (branch_secretary, college_organizer):
        first = cached_scope(_fresh(user))  # stored
        second = cached_scope(_fresh(user))  # read back
        fresh = resolve_scope(user)
        assert first.grants == second.grants == fresh.grants
        assert second._prefixes == fresh._prefixes
        assert second.memo == {}


def test_a_warm_request_reads_no_role_or_position(world, branch_secretary, login) -> None:
    client = login(branch_secretary)
    page = reverse("core:person_list")
    assert _grant_queries(client, page)  # cold: the roles and the positions are read once
    assert _grant_queries(client, page) == []


def test_a_role_given_is_seen_on_the_next_request(world, member_user, school_admin, login) -> None:
    client = login(member_user)
    page = reverse("core:org_detail", args=[world.cs_branch.pk])
    assert client.get(page).status_code == 404
    account_services.role_assign(
        actor=school_admin, user=member_user, role=Role.COLLEGE_ORGANIZER, organization=world.cs
    )
    assert client.get(page).status_code == 200


def test_an_ended_position_is_seen_on_the_next_request(world, branch_secretary, login) -> None:
    client = login(branch_secretary)
    page = reverse("core:org_detail", args=[world.cs_branch.pk])
    assert client.get(page).status_code == 200
    position = Position.objects.get(person=world.secretary, title=PositionTitle.SECRETARY)
    services.position_end(actor=None, position=position, ended_on=date(2026, 1, 1))
    assert client.get(page).status_code == 404


def test_a_role_revoked_in_the_admin_is_seen_on_the_next_request(world, college_organizer, login) -> None:
    client = login(college_organizer)
    page = reverse("core:org_detail", args=[world.cs_branch.pk])
    assert client.get(page).status_code == 200
    college_organizer.role_assignments.all().delete()
    scope_changed(user_ids=[college_organizer.pk])  # what the admin's save_related does
    assert client.get(page).status_code == 404


def test_renaming_an_org_bumps_the_holders_of_its_grants(world, college_organizer, branch_secretary) -> None:
    before = {u.pk: _fresh(u).scope_version for u in (college_organizer, branch_secretary)}
    services.organization_update(actor=None, org=world.cs_branch, name="计算机学院新支部")
    after = {u.pk: _fresh(u).scope_version for u in (college_organizer, branch_secretary)}
    assert after[branch_secretary.pk] > before[branch_secretary.pk]  # the secretary's post is there
    # The organizer's grant is on the college: its name and path did not change, nor their version.
    assert after[college_organizer.pk] == before[college_organizer.pk]
    grants = cached_scope(_fresh(branch_secretary)).grants
    assert [g.org_name for g in grants] == ["计算机学院新支部"]


def test_moving_an_org_gives_its_grants_the_new_path(world, branch_secretary) -> None:
    cached_scope(_fresh(branch_secretary))  # warm, with the old path
    services.organization_move(actor=None, org=world.cs_branch, new_parent=world.fl)
    moved = Organization.objects.get(pk=world.cs_branch.pk)
    assert [g.org_path for g in cached_scope(_fresh(branch_secretary)).grants] == [moved.path]


def test_with_the_cache_broken_the_scope_is_read_from_the_database(world, branch_secretary, login) -> None:
    client = login(branch_secretary)
    page = reverse("core:org_detail", args=[world.cs_branch.pk])
    with (
        mock.patch("dangjian.accounts.scope.cache.get", side_effect=ConnectionError("down")),
        mock.patch("dangjian.accounts.scope.cache.set", side_effect=ConnectionError("down")),
    ):
        assert client.get(page).status_code == 200
        assert _grant_queries(client, page)  # read every time, no error
    assert cached_scope(_fresh(branch_secretary)).grants == resolve_scope(branch_secretary).grants
