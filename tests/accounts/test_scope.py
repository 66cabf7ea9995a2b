"""Scope resolution and the scope selectors: the only doors to data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from dangjian.accounts.models import RoleAssignment
from dangjian.accounts.roles import Permission, Role
from dangjian.accounts.scope import _minimal_prefixes, resolve_scope
from dangjian.core import services
from dangjian.core.models import Position, PositionTitle
from dangjian.core.selectors import get_org_for, get_person_for, people_visible_to, search_people
from tests.factories import user_for

P = Permission


def test_school_admin_covers_the_whole_school(world, school_admin) -> None:
    scope = resolve_scope(school_admin)
    assert scope.covers(P.MANAGE_ORGS, world.fl_branch.path)
    assert scope.covers(P.VIEW_PII, world.cs_group.path)


def test_college_organizer_covers_own_college_only(world, college_organizer) -> None:
    scope = resolve_scope(college_organizer)
    assert scope.covers(P.MANAGE_PEOPLE, world.cs_branch.path)
    assert not scope.covers(P.VIEW_ORGS, world.fl_branch.path)
    assert not scope.covers(P.VIEW_ORGS, world.school.path)


def test_secretary_role_comes_from_the_position_and_ends_with_it(world, branch_secretary) -> None:
    scope = resolve_scope(branch_secretary)
    assert scope.roles == {Role.BRANCH_SECRETARY}
    assert scope.prefixes(P.VIEW_PEOPLE) == (world.cs_branch.path,)
    assert not scope.has(P.VIEW_PII) and not scope.has(P.MANAGE_ORGS)
    position = Position.objects.get(person=world.secretary, title=PositionTitle.SECRETARY)
    services.position_end(actor=None, position=position, ended_on=date(2026, 1, 1))
    assert resolve_scope(branch_secretary).is_empty


def test_member_has_an_empty_scope(world, member_user) -> None:
    assert resolve_scope(member_user).is_empty


def test_auditor_reads_audit_everywhere_but_no_people(world, auditor) -> None:
    scope = resolve_scope(auditor)
    assert scope.prefixes(P.VIEW_AUDIT) == ("",)
    assert not scope.has(P.VIEW_PEOPLE)


def test_expired_or_future_assignment_is_ignored(world) -> None:
    user = user_for(None, "temp")
    today = timezone.localdate()
    RoleAssignment.objects.create(
        user=user, role=Role.SCHOOL_ADMIN, organization=world.school, valid_to=today - timedelta(days=1)
    )
    RoleAssignment.objects.create(
        user=user, role=Role.COLLEGE_ORGANIZER, organization=world.cs, valid_from=today + timedelta(days=1)
    )
    assert resolve_scope(user).is_empty


def test_minimal_prefixes_drop_covered_paths() -> None:
    assert _minimal_prefixes(["00010002", "0001", "00020003"]) == ("0001", "00020003")


def test_people_and_orgs_out_of_scope_are_404(world, outsider_organizer, member_user) -> None:
    scope = resolve_scope(outsider_organizer)
    assert world.member not in people_visible_to(scope)
    with pytest.raises(Http404):
        get_person_for(scope, world.member.pk)
    with pytest.raises(Http404):
        get_org_for(scope, world.cs_branch.pk)
    with pytest.raises(Http404):
        get_org_for(scope, "not-a-number")
    own = resolve_scope(member_user)
    assert get_person_for(own, world.member.pk) == world.member
    with pytest.raises(Http404):
        get_person_for(own, world.secretary.pk)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lxh", {"李晓红"}),
        ("lixiao", {"李晓红"}),
        ("李晓", {"李晓红"}),
        ("zw", {"张伟"}),
        ("王建国", {"王建国"}),
    ],
)
def test_search_by_initials_pinyin_and_name(world, school_admin, query, expected) -> None:
    scope = resolve_scope(school_admin)
    assert {p.name for p in search_people(people_visible_to(scope), query)} == expected


def test_search_by_staff_number_prefix_and_exact_id_number(world, school_admin) -> None:
    from dangjian.core import crypto

    scope = resolve_scope(school_admin)
    people = people_visible_to(scope)
    assert list(search_people(people, world.member.staff_number)) == [world.member]
    number = crypto.decrypt(world.member.id_number_encrypted)
    assert list(search_people(people, number.lower())) == [world.member]


def test_a_grant_on_the_root_filters_nothing_and_joins_no_organization(world, school_admin) -> None:
    from dangjian.accounts.scope import ROOT_PATH_LENGTH
    from dangjian.core.models import Organization, Person

    assert Organization.steplen == ROOT_PATH_LENGTH
    scope = resolve_scope(school_admin)
    people = Person.objects.filter(scope.q(Permission.VIEW_PEOPLE, "organization__path"))
    assert "core_organization" not in str(people.query)  # "has an organization", no prefix join
    assert set(people) == set(Person.objects.filter(organization__path__startswith=world.school.path))
    orgs = Organization.objects.filter(scope.q(Permission.VIEW_ORGS))
    assert orgs.count() == Organization.objects.count()
    # a denormalised path keeps its prefix test: "" there means "no organization", not "everywhere"
    from dangjian.audit.models import AuditEvent

    events = AuditEvent.objects.filter(scope.q(Permission.VIEW_AUDIT, "org_path"))
    assert "org_path" in str(events.query).split("WHERE", 1)[1]


def test_a_college_grant_still_tests_its_prefix(world, college_organizer) -> None:
    from dangjian.core.models import Person

    scope = resolve_scope(college_organizer)
    people = Person.objects.filter(scope.q(Permission.VIEW_PEOPLE, "organization__path"))
    assert "core_organization" in str(people.query)
    assert world.fl_member not in set(people)
