"""Who may act on dues: one predicate per verb, asked by the services, the views, the API, the link rules
and the to-dos alike, so a page never offers what the service would refuse (and the other way round).

``may_<verb>(scope, obj) -> bool`` answers for one object; ``<verb>_q(scope) -> Q`` is the same rule as a
filter, for lists and to-dos. Branches collect (MANAGE_DUES); the org above a month report confirms or
returns it (CONFIRM_DUES on the parent); reliefs are decided by their approver org (the branch for
retirees, else the committee above); a member declares and pays online for themself. Every service
takes the caller's scope: the platform itself (tasks, seeders, a service acting on behalf of one that
already checked) passes ``Scope.system()``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind, Person
from dangjian.hooks.links import link_rule
from dangjian.kit.errors import NotFound

P = Permission


# ---------------------------------------------------------------- viewing and exporting


def may_view(scope: Scope, org: Organization) -> bool:
    return bool(scope.covers(P.VIEW_DUES, org.path))


def view_q(scope: Scope, path_field: str = "path") -> Q:
    """:func:`may_view` as a filter on an org path field."""
    return scope.q(P.VIEW_DUES, path_field)


def may_view_member_path(scope: Scope, path: str | None) -> bool:
    """A member's dues page: the branch holding the membership (``path``) lies in VIEW_DUES scope."""
    return path is not None and bool(scope.covers(P.VIEW_DUES, path))


def may_export(scope: Scope, org: Organization) -> bool:
    """Download an org's month as a file: the page's viewers who may also export data there."""
    return may_view(scope, org) and bool(scope.covers(P.EXPORT, org.path))


# ---------------------------------------------------------------- collecting (the branch)


def may_manage(scope: Scope, org: Organization) -> bool:
    """Collect dues of a branch: standards, payments, reliefs asked for, declarations, the year's
    confirmation."""
    return bool(scope.covers(P.MANAGE_DUES, org.path))


def manage_q(scope: Scope, path_field: str = "path") -> Q:
    """:func:`may_manage` as a filter on an org path field."""
    return scope.q(P.MANAGE_DUES, path_field)


def may_manage_some(scope: Scope) -> bool:
    """Collects dues somewhere: the queues and to-dos of collectors are worth asking for."""
    return scope.has(P.MANAGE_DUES)


def may_reverse(scope: Scope, entry: Any) -> bool:
    """Correct a ledger entry: the branch that recorded it (``entry.organization``), not the member's
    branch now — after a move the new branch does not correct the old branch's books."""
    return may_manage(scope, entry.organization)


# ---------------------------------------------------------------- a member for themself


def may_declare(scope: Scope, person: Person) -> bool:
    """Declare "I paid" or pay online: the member themself (or the platform)."""
    return scope.is_system or (scope.person_id is not None and scope.person_id == person.pk)


# ---------------------------------------------------------------- handing up and confirming (对账)


def may_submit(scope: Scope, org: Organization) -> bool:
    """Hand up a month: the branch collecting it, or (an upper org) whoever confirms at that level."""
    perm = P.MANAGE_DUES if org.kind == OrgKind.BRANCH else P.CONFIRM_DUES
    return bool(scope.covers(perm, org.path))


def may_confirm(scope: Scope, org: Organization) -> bool:
    """Confirm or return an org's month: the parent org must lie in the user's CONFIRM_DUES scope."""
    parent = org.path[: -org.steplen]
    return bool(parent) and bool(scope.covers(P.CONFIRM_DUES, parent))


def confirm_q(scope: Scope, org_field: str = "organization") -> Q:
    """:func:`may_confirm` as a filter on the reported org (``org_field``; "" for Organization itself):
    strictly below a CONFIRM_DUES prefix, so that its parent lies inside it; never a root, which has no
    parent. Matches nothing without the permission."""
    path, depth = (f"{org_field}__path", f"{org_field}__depth") if org_field else ("path", "depth")
    q = Q(pk__in=[])
    for prefix in scope.prefixes(P.CONFIRM_DUES):
        q |= Q(**{f"{path}__startswith": prefix, f"{depth}__gt": max(len(prefix) // Organization.steplen, 1)})
    return q


def may_confirm_below(scope: Scope, org: Organization) -> bool:
    """Confirm or return the months of ``org``'s direct children: :func:`may_confirm` of each child,
    asked once from the parent's page (every child's parent is ``org``)."""
    return bool(scope.covers(P.CONFIRM_DUES, org.path))


def may_confirm_some(scope: Scope) -> bool:
    """Confirms somewhere: the queue of month reports is worth asking for."""
    return scope.has(P.CONFIRM_DUES)


# ---------------------------------------------------------------- reliefs (减免)


def may_decide_relief(scope: Scope, approver: Organization) -> bool:
    if approver.kind == OrgKind.BRANCH:
        return bool(scope.covers(P.MANAGE_DUES, approver.path))
    return bool(scope.covers(P.CONFIRM_DUES, approver.path))


def decide_relief_q(scope: Scope, approver_field: str = "approver_org") -> Q:
    """:func:`may_decide_relief` as a filter on the relief's approver org."""
    branch = Q(**{f"{approver_field}__kind": OrgKind.BRANCH})
    return (scope.q(P.MANAGE_DUES, f"{approver_field}__path") & branch) | (
        scope.q(P.CONFIRM_DUES, f"{approver_field}__path") & ~branch
    )


def may_decide_some_relief(scope: Scope) -> bool:
    """May decide a relief somewhere (a branch for its retirees, a committee for the rest)."""
    return scope.has(P.MANAGE_DUES) or scope.has(P.CONFIRM_DUES)


# ---------------------------------------------------------------- bills (应交)


def may_generate_bills(scope: Scope) -> bool:
    """(Re)run a month's bill generation for everyone by hand: whoever confirms dues over a whole tree
    (a root org's path is one step long; "" is the whole forest)."""
    return any(len(p) <= Organization.steplen for p in scope.prefixes(P.CONFIRM_DUES))


def may_generate_bills_at(scope: Scope, org: Organization) -> bool:
    """The bill run's button on an org's page: on the root the user confirms for, or anywhere for a
    school-wide user."""
    return "" in scope.prefixes(P.CONFIRM_DUES) or (
        org.is_root() and bool(scope.covers(P.CONFIRM_DUES, org.path))
    )


def refuse_unless(allowed: bool) -> None:
    """In a service: out of the caller's scope reads as "not found", as the pages answer 404."""
    if not allowed:
        raise NotFound(_("没有找到该事项，或不在您的管理范围内"), code="not_found")


# ---------------------------------------------------------------- link rules (core.links)


def member_path(obj: Any) -> str | None:
    """The org path of a member's current membership: from a Person (membership selected) or a page
    line that carries it (``selectors.Line.path``)."""
    if isinstance(obj, Person):
        membership = getattr(obj, "membership", None)
        return membership.organization.path if membership is not None else None
    return getattr(obj, "path", None) or None


@link_rule("dues:person")
def _person_link(request: HttpRequest, obj: Any) -> bool:
    return may_view_member_path(scope_of(request), member_path(obj))


@link_rule("dues:entry_reverse")
def _entry_reverse_link(request: HttpRequest, entry: Any) -> bool:
    return may_reverse(scope_of(request), entry)


@link_rule("dues:org")
def _org_link(request: HttpRequest, org: Organization) -> bool:
    return may_view(scope_of(request), org)


@link_rule("dues:org_export")
def _org_export_link(request: HttpRequest, org: Organization) -> bool:
    return may_export(scope_of(request), org)
