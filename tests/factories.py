"""Builders for tests: people with valid fictional ID numbers, orgs, members, users."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from dangjian.accounts.models import RoleAssignment, User
from dangjian.core import services
from dangjian.core.idnumbers import make_id_number
from dangjian.core.models import MembershipType, Organization, OrgCategory, OrgKind, Person, PersonType

_seq = itertools.count(1)
SYSTEM = None  # actor for setup writes


def org(
    parent: Organization | None, kind: str, name: str, *, code: str | None = None, **extra: Any
) -> Organization:
    return services.organization_create(
        actor=SYSTEM,
        parent=parent,
        kind=kind,
        name=name,
        code=code or f"T{next(_seq):05d}",
        category=extra.pop("category", OrgCategory.STAFF),
        **extra,
    )


def person(
    name: str = "测试人员",
    *,
    organization: Organization | None = None,
    female: bool = False,
    birth: date = date(1980, 5, 17),
    person_type: str = PersonType.STAFF,
    **extra: Any,
) -> Person:
    n = next(_seq)
    return services.person_create(
        actor=SYSTEM,
        name=name,
        id_number=make_id_number("110101", birth, 2 * n, female=female),
        gender="female" if female else "male",
        birth_date=birth,
        person_type=person_type,
        staff_number=extra.pop("staff_number", f"S{n:06d}"),
        organization=organization,
        **extra,
    )


def member(
    branch: Organization,
    name: str = "党员",
    *,
    full: bool = True,
    joined_on: date = date(2015, 6, 1),
    full_on: date | None = date(2016, 6, 1),
    **extra: Any,
) -> Person:
    p = person(name, organization=branch, **extra)
    services.membership_admit_existing(
        actor=SYSTEM,
        person=p,
        organization=branch,
        membership_type=MembershipType.FULL if full else MembershipType.PROBATIONARY,
        joined_on=joined_on,
        full_on=full_on if full else None,
    )
    p.refresh_from_db()
    return p


def user_for(p: Person | None, username: str, *roles: tuple[str, Organization | None]) -> User:
    user = User.objects.create_user(username=username, password="demo12345", person=p)
    for role, scope_org in roles:
        RoleAssignment.objects.create(user=user, role=role, organization=scope_org)
    return user


__all__ = ["OrgKind", "member", "org", "person", "user_for"]


def ensure_the_25_steps() -> None:
    """The 25 steps of 发展党员 come from a data migration, which a transactional test's flush removes (for
    the tests after it too). Its rows as the schema is now: block/warn is no longer a column (migration
    0006: it lives in rules.CHECKS)."""
    import importlib

    from dangjian.recruitment.models import StepDefinition

    steps = importlib.import_module("dangjian.recruitment.migrations.0002_the_25_steps").STEPS
    for number, code, name, stage, actor, rule, _mode, enters, repeatable, documents in steps:
        StepDefinition.objects.update_or_create(
            code=code,
            defaults={
                "number": number,
                "name": name,
                "stage": stage,
                "actor": actor,
                "rule": rule,
                "enters_stage": enters,
                "repeatable": repeatable,
                "documents": documents,
            },
        )
