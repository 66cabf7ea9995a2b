"""Scope: which parts of the org tree a user administers, with which permissions.

Resolved once per request (``request.scope``) by ScopeMiddleware. Selectors filter by org path prefix
(``path LIKE 'prefix%'``), which the path index turns into an index range scan.

The grants are kept in the cache (ADR 0004) under the user's id, ``User.scope_version``, person link and
today's date (grants have valid_from/valid_to). Every write the grants depend on — a role assignment
given, ended, edited or deleted; a position started or ended; an organization moved, renamed or
dissolved — calls ``scope_changed`` in its transaction, which bumps ``scope_version`` on the users
concerned; the user row is read on every request anyway, so the next request of any process looks under
a new key. A cache that fails answers as an empty one: the grants are then read from the database.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import astuple, dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Q
from django.utils import timezone

from dangjian.accounts.roles import GLOBAL_ROLES, POSITION_ROLES, ROLE_PERMISSIONS, Permission, Role


@dataclass(frozen=True)
class Grant:
    role: str
    org_id: int | None
    org_path: str  # "" means the whole tree (global roles)
    org_name: str
    via_position: bool = False


def _minimal_prefixes(paths: Iterable[str]) -> tuple[str, ...]:
    """Drop prefixes that are covered by a shorter one: ("0001", "00010002") -> ("0001",)."""
    result: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(p) for p in result):
            result.append(path)
    return tuple(sorted(result))


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    person_id: int | None
    grants: tuple[Grant, ...] = ()
    _prefixes: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    # Per-request memo for reads several parts of one page need (e.g. the rule-check list).
    memo: dict[object, object] = field(default_factory=dict, compare=False, repr=False)
    system_scope: bool = False  # Scope.system(): the platform itself, every permission everywhere

    @classmethod
    def build(cls, user_id: int | None, person_id: int | None, grants: Iterable[Grant]) -> Scope:
        grants = tuple(grants)
        by_perm: dict[str, list[str]] = {}
        for grant in grants:
            for perm in ROLE_PERMISSIONS.get(grant.role, ()):
                by_perm.setdefault(perm, []).append(grant.org_path)
        prefixes = {perm: _minimal_prefixes(paths) for perm, paths in by_perm.items()}
        return cls(user_id=user_id, person_id=person_id, grants=grants, _prefixes=prefixes)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)

    def has(self, perm: Permission) -> bool:
        return bool(self._prefixes.get(perm))

    def has_role(self, *roles: Role) -> bool:
        return any(r in self.roles for r in roles)

    def prefixes(self, perm: Permission) -> tuple[str, ...]:
        return self._prefixes.get(perm, ())

    def covers(self, perm: Permission, path: str) -> bool:
        return any(path.startswith(p) for p in self.prefixes(perm))

    def q(self, perm: Permission, path_field: str = "path") -> Q:
        """A Q object restricting ``path_field`` to the scope of ``perm``; matches nothing without it."""
        prefixes = self.prefixes(perm)
        if not prefixes:
            return Q(pk__in=[])
        if "" in prefixes:
            # Everything — but as a real condition: an empty Q() would vanish from ``q | other`` and
            # narrow a school-wide user to ``other`` alone.
            return Q(pk__isnull=False)
        if any(len(p) == ROOT_PATH_LENGTH for p in prefixes) and (
            path_field == "path" or path_field.endswith("__path")
        ):
            # A grant on the root: the tree has one root (organization_create refuses a second), so every
            # organization is inside — "has an organization" says the same without joining each row to
            # its organization to test a prefix every path has (a people page 500 deep: 90 → 12 ms in SQL
            # at province size). Not for denormalised paths (``org_path``), where "" means "no org".
            if path_field == "path":
                return Q(pk__isnull=False)
            return Q(**{f"{path_field.removesuffix('__path')}__isnull": False})
        q = Q()
        for prefix in prefixes:
            q |= Q(**{f"{path_field}__startswith": prefix})
        return q

    @property
    def is_empty(self) -> bool:
        return not self.grants and not self.is_system

    @property
    def is_system(self) -> bool:
        return self.system_scope

    @classmethod
    def system(cls) -> Scope:
        """The scope of the platform itself (periodic tasks, seeders, reactions to domain events): every
        permission over the whole tree. Services take a scope always; a system caller passes this one,
        never ``None``, so "no check" is a visible choice. A new one each time: its ``memo`` is per use."""
        return cls(user_id=None, person_id=None, _prefixes=dict(_SYSTEM_PREFIXES), system_scope=True)


ROOT_PATH_LENGTH = 4  # core.Organization.steplen: the path of the root (a materialized path step)
_SYSTEM_PREFIXES: dict[str, tuple[str, ...]] = {perm: ("",) for perm in Permission.values}
EMPTY_SCOPE = Scope(user_id=None, person_id=None)


logger = logging.getLogger(__name__)


def _cache_key(user: Any, today: date) -> str:
    # date_joined too: a database seeded again reuses ids (and starts versions at 0) under a shared cache.
    joined = int(user.date_joined.timestamp() * 1_000_000) if user.date_joined else 0
    return f"scope:{user.pk}:{joined}:{user.scope_version}:{user.person_id or 0}:{today.isoformat()}"


def _cached_grants(key: str) -> tuple[Grant, ...] | None:
    try:
        rows = cache.get(key)
    except Exception:  # any cache failure: the database answers instead
        logger.warning("scope cache unreadable, resolving from the database", exc_info=True)
        return None
    if not isinstance(rows, tuple):
        return None
    return tuple(Grant(*row) for row in rows)


def _store_grants(key: str, grants: tuple[Grant, ...]) -> None:
    try:
        # Plain tuples: nothing of the request (the Scope's memo) goes into the cache.
        cache.set(key, tuple(astuple(g) for g in grants), settings.SCOPE_CACHE_SECONDS)
    except Exception:
        logger.warning("scope cache unwritable", exc_info=True)


def cached_scope(user: object) -> Scope:
    """The request's Scope (ScopeMiddleware): ``resolve_scope`` kept in the cache under the version the
    user row carries. Only for a user just read from the database — the request's — since a user object
    kept across a write would carry the version from before it; everything else calls ``resolve_scope``."""
    from dangjian.accounts.models import User

    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    if settings.SCOPE_CACHE_SECONDS <= 0:
        return resolve_scope(user)
    today = timezone.localdate()
    key = _cache_key(user, today)
    grants = _cached_grants(key)
    if grants is None:
        grants = resolve_scope(user, on=today).grants
        _store_grants(key, grants)
    return Scope.build(user.pk, user.person_id, grants)


def resolve_scope(user: object, *, on: date | None = None) -> Scope:
    """Read the user's role assignments and branch positions (two queries) into a Scope."""
    from dangjian.accounts.models import RoleAssignment, User
    from dangjian.core.models import OrgKind, Position

    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    today = on or timezone.localdate()
    grants: list[Grant] = []
    assignments = (
        RoleAssignment.objects.filter(user=user)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("organization")
    )
    for ra in assignments:
        org = ra.organization
        if ra.role in GLOBAL_ROLES or org is None:
            grants.append(Grant(ra.role, None, "", "", False))
        elif org.is_active:
            grants.append(Grant(ra.role, org.pk, org.path, org.name, False))
    if user.person_id:
        positions = Position.objects.filter(
            person_id=user.person_id,
            ended_on__isnull=True,
            organization__kind=OrgKind.BRANCH,
            organization__is_active=True,
            title__in=list(POSITION_ROLES),
        ).select_related("organization")
        for pos in positions:
            org = pos.organization
            grants.append(Grant(POSITION_ROLES[pos.title], org.pk, org.path, org.name, True))
    return Scope.build(user.pk, user.person_id, grants)


def scope_changed(
    *,
    user_ids: Iterable[int] = (),
    person_ids: Iterable[int | None] = (),
    org_paths: Iterable[str] = (),
) -> int:
    """Bump ``scope_version`` of every user whose grants may have changed: these users, the users of these
    people, and — for an organization moved, renamed or dissolved — everyone holding a role or an open
    post in the subtree under each path. Called by the service that writes, inside its transaction, so
    the next request sees the change (or the write rolls back with it). Answers the users bumped."""
    from dangjian.accounts.models import RoleAssignment, User
    from dangjian.core.models import Position

    users = {pk for pk in user_ids if pk}
    people = {pk for pk in person_ids if pk}
    paths = set(org_paths)
    if not users and not people and not paths:
        return 0
    condition = Q(pk__in=users) | Q(person_id__in=people)
    for path in paths:
        condition |= Q(
            pk__in=RoleAssignment.objects.filter(organization__path__startswith=path).values("user_id")
        ) | Q(
            person_id__in=Position.objects.filter(
                ended_on__isnull=True, organization__path__startswith=path
            ).values("person_id")
        )
    return User.objects.filter(condition).update(scope_version=F("scope_version") + 1)
