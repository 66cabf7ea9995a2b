"""Who may do what in 评价与预警's indices and reports."""

from __future__ import annotations

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization

P = Permission


def _root_path() -> str | None:
    root = Organization.objects.get_first_root_node()  # type: ignore[attr-defined]
    return root.path if root else None


def may_manage_indices(scope: Scope) -> bool:
    """The index definitions are the school's: MANAGE_INDICES over the whole tree."""
    root = _root_path()
    return root is not None and scope.covers(P.MANAGE_INDICES, root)


def may_compute(scope: Scope) -> bool:
    """Computing a period writes every organization's scores: the school (or the system) only."""
    return may_manage_indices(scope)


def may_view(scope: Scope, org: Organization) -> bool:
    return scope.covers(P.VIEW_INSIGHTS, org.path)
