"""The system scope: what periodic tasks, seeders and event reactions act with instead of "no scope"."""

from __future__ import annotations

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import EMPTY_SCOPE, Scope


def test_the_system_scope_holds_every_permission_over_the_whole_tree() -> None:
    system = Scope.system()
    assert system.is_system and not system.is_empty
    assert all(system.has(perm) and system.covers(perm, "0001000300020001") for perm in Permission)


def test_the_empty_scope_is_not_the_system_and_holds_nothing() -> None:
    assert not EMPTY_SCOPE.is_system and EMPTY_SCOPE.is_empty
    assert not any(EMPTY_SCOPE.has(perm) for perm in Permission)


def test_each_system_scope_has_its_own_memo() -> None:
    first, second = Scope.system(), Scope.system()
    first.memo["key"] = "value"
    assert second.memo == {} and first == second
