"""Who may see the statistics: one predicate per decision, asked by the pages, the API and the service.

- An organization's figures: whoever holds 查看党内统计 over it (organizers over their subtree, a
  branch secretary over the branch).
- The people a cell counts: also 查看人员 over the organization (a list of names is personal data).
- Recomputing a snapshot (a whole-tree job): whoever reviews returns at the root (the 组织部)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization
from dangjian.hooks.links import link_rule

P = Permission


def may_view(scope: Scope, org: Organization) -> bool:
    return scope.covers(P.VIEW_STATISTICS, org.path)


def may_list_people(scope: Scope, org: Organization) -> bool:
    return may_view(scope, org) and scope.covers(P.VIEW_PEOPLE, org.path)


def may_export(scope: Scope, org: Organization) -> bool:
    return may_list_people(scope, org) and scope.covers(P.EXPORT, org.path)


def may_recompute(scope: Scope, root: Organization | None) -> bool:
    return root is not None and scope.covers(P.REVIEW_RETURNS, root.path)


def may_recompute_from(scope: Scope, org: Organization) -> bool:
    """``may_recompute`` at the root of ``org``'s tree, read off its path (no query)."""
    return scope.covers(P.REVIEW_RETURNS, org.path[: Organization.steplen])


@link_rule("reporting:org")
def may_open_org(request: HttpRequest, org: Any) -> bool:
    return may_view(scope_of(request), org)
