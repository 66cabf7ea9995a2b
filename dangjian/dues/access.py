"""Who may act on dues: one predicate per verb, asked by the services, the views, the link rules and
the to-dos alike, so a page never offers what the service would refuse (and the other way round).

Branches collect (MANAGE_DUES); the org above a month report confirms or returns it (CONFIRM_DUES on
the parent); reliefs are decided by their approver org (the branch for retirees, else the committee
above). ``scope=None`` in a service means the system itself (tasks, seeders, chained services).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind, Person
from dangjian.hooks.links import link_rule
from dangjian.kit.errors import NotFound

P = Permission


def may_view(scope: Scope, org: Organization) -> bool:
    return bool(scope.covers(P.VIEW_DUES, org.path))


def may_export(scope: Scope, org: Organization) -> bool:
    """Download an org's month as a file: the page's viewers who may also export data there."""
    return may_view(scope, org) and bool(scope.covers(P.EXPORT, org.path))


def may_manage(scope: Scope, org: Organization) -> bool:
    """Collect dues of a branch: payments, standards, reversals, declarations, the year's confirmation."""
    return bool(scope.covers(P.MANAGE_DUES, org.path))


def may_reverse(scope: Scope, entry: Any) -> bool:
    """Correct a ledger entry: the branch that recorded it (``entry.organization``), not the member's
    branch now — after a move the new branch does not correct the old branch's books."""
    return may_manage(scope, entry.organization)


def may_submit(scope: Scope, org: Organization) -> bool:
    """Hand up a month: the branch collecting it, or (an upper org) whoever confirms at that level."""
    perm = P.MANAGE_DUES if org.kind == OrgKind.BRANCH else P.CONFIRM_DUES
    return bool(scope.covers(perm, org.path))


def may_confirm(scope: Scope, org: Organization) -> bool:
    """Confirm or return an org's month: the parent org must lie in the user's CONFIRM_DUES scope."""
    parent = org.path[: -org.steplen]
    return bool(parent) and bool(scope.covers(P.CONFIRM_DUES, parent))


def may_confirm_below(scope: Scope, org: Organization) -> bool:
    """Confirm or return the months of ``org``'s direct children: :func:`may_confirm` of each child,
    asked once from the parent's page (every child's parent is ``org``)."""
    return bool(scope.covers(P.CONFIRM_DUES, org.path))


def may_decide_relief(scope: Scope, approver: Organization) -> bool:
    if approver.kind == OrgKind.BRANCH:
        return bool(scope.covers(P.MANAGE_DUES, approver.path))
    return bool(scope.covers(P.CONFIRM_DUES, approver.path))


def may_view_member_path(scope: Scope, path: str | None) -> bool:
    """A member's dues page: the branch holding the membership (``path``) lies in VIEW_DUES scope."""
    return path is not None and bool(scope.covers(P.VIEW_DUES, path))


def refuse_unless(allowed: bool) -> None:
    """In a service: out of the caller's scope reads as "not found", as the pages answer 404."""
    if not allowed:
        raise NotFound(_("没有找到该事项，或不在您的管理范围内"), code="not_found")


# ---------------------------------------------------------------- link rules (core.links)


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def member_path(obj: Any) -> str | None:
    """The org path of a member's current membership: from a Person (membership selected) or a page
    line that carries it (``selectors.Line.path``)."""
    if isinstance(obj, Person):
        membership = getattr(obj, "membership", None)
        return membership.organization.path if membership is not None else None
    return getattr(obj, "path", None) or None


@link_rule("dues:person")
def _person_link(request: HttpRequest, obj: Any) -> bool:
    return may_view_member_path(_scope(request), member_path(obj))


@link_rule("dues:entry_reverse")
def _entry_reverse_link(request: HttpRequest, entry: Any) -> bool:
    return may_reverse(_scope(request), entry)


@link_rule("dues:org")
def _org_link(request: HttpRequest, org: Organization) -> bool:
    return may_view(_scope(request), org)


@link_rule("dues:org_export")
def _org_export_link(request: HttpRequest, org: Organization) -> bool:
    return may_export(_scope(request), org)
