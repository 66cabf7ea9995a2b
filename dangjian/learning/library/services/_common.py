"""What the 学习库's services share: who may publish at an organization, and the actor kept on a row
(none for the platform itself)."""

from __future__ import annotations

from typing import Any

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization

P = Permission


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def may_publish(scope: Scope, org: Organization) -> bool:
    """Who may publish materials, courses and plans at ``org`` (and edit them): whoever manages
    training there."""
    return scope.covers(P.MANAGE_TRAINING, org.path)
