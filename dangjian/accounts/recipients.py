"""Who is told: the people a notice about an organization goes to (its secretary, the organizers above).

Every module's notices ask here, so "who hears about a branch" is decided once.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from dangjian.accounts.models import RoleAssignment, User
from dangjian.accounts.roles import Role
from dangjian.core.models import Organization, PositionTitle


def upper_organizers(org: Organization) -> list[User]:
    """The organizers (院系组织员 or 校级管理员) of the nearest organization above ``org`` that has any."""
    ancestors = [p for p in (org.path[:i] for i in range(org.steplen, len(org.path), org.steplen))]
    assignments = RoleAssignment.objects.filter(
        organization__path__in=ancestors, role__in=[Role.COLLEGE_ORGANIZER, Role.SCHOOL_ADMIN]
    ).select_related("user", "organization")
    by_depth: dict[int, list[User]] = {}
    for ra in assignments:
        if ra.user.is_active:
            by_depth.setdefault(len(ra.organization.path), []).append(ra.user)  # type: ignore[union-attr]
    return by_depth[max(by_depth)] if by_depth else []


def secretary_users(org: Organization) -> list[User]:
    """The accounts of the serving 书记 of ``org``."""
    return list(
        User.objects.filter(
            is_active=True,
            person__positions__organization=org,
            person__positions__ended_on__isnull=True,
            person__positions__title=PositionTitle.SECRETARY,
        )
    )


def role_holders(roles: list[Role], on: date) -> list[User]:
    """The active accounts holding any of these roles on ``on`` (e.g. the 安全/审计管理员 told of a broken
    audit chain)."""
    return list(
        User.objects.filter(
            Q(role_assignments__valid_from__isnull=True) | Q(role_assignments__valid_from__lte=on),
            Q(role_assignments__valid_to__isnull=True) | Q(role_assignments__valid_to__gte=on),
            is_active=True,
            role_assignments__role__in=roles,
        )
        .distinct()
        .order_by("pk")
    )


def organizers_at(org: Organization) -> list[User]:
    """The active organizers (院系组织员 or 校级管理员) whose role is given at ``org`` itself."""
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__organization=org,
            role_assignments__role__in=[Role.COLLEGE_ORGANIZER, Role.SCHOOL_ADMIN],
        )
        .distinct()
        .order_by("pk")
    )
