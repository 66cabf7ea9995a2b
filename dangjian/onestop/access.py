"""Who may act in 智慧服务: one predicate per decision, asked by the services (a refusal), the pages (404
or no button), the API and the to-dos alike.

Two sides act. The requester: a member asks for themselves (``scope.person_id``); a branch asks through
whoever handles requests for it (its secretary, or an organizer above). The handling side: whoever holds
HANDLE_REQUESTS over the organization the request is addressed to — never on their own request. The
platform itself (the demo) acts with ``Scope.system()``.
"""

from __future__ import annotations

from django.db.models import Q

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind
from dangjian.onestop.models import Proof, Request
from dangjian.onestop.rules import CLOSED_STATUSES

P = Permission


def may_ask_for_branch(scope: Scope, branch: Organization) -> bool:
    """Ask the college on behalf of ``branch``: a 党支部 the scope handles requests for."""
    return branch.kind == OrgKind.BRANCH and scope.covers(P.HANDLE_REQUESTS, branch.path)


def is_requester(scope: Scope, request: Request) -> bool:
    return bool(scope.person_id and request.requester_id == scope.person_id)


def may_handle(scope: Scope, request: Request) -> bool:
    """Take, complete or refuse: HANDLE_REQUESTS over the handling organization, not one's own request."""
    if scope.is_system:
        return True
    return scope.covers(P.HANDLE_REQUESTS, request.handling_org.path) and not is_requester(scope, request)


def handle_q(scope: Scope, path_field: str = "handling_org__path") -> Q:
    """``may_handle`` as a filter (the handler's list and the to-dos)."""
    q = scope.q(P.HANDLE_REQUESTS, path_field)
    if scope.person_id:
        q &= ~Q(requester_id=scope.person_id)
    return q


def own_q(scope: Scope, person_field: str = "requester_id") -> Q:
    if not scope.person_id:
        return Q(pk__in=[])
    return Q(**{person_field: scope.person_id})


def may_see(scope: Scope, request: Request) -> bool:
    return is_requester(scope, request) or may_handle(scope, request)


def may_rate(scope: Scope, request: Request) -> bool:
    """Rate the handling once it is closed: the requester only."""
    return is_requester(scope, request) and request.status in CLOSED_STATUSES and request.rated_at is None


def may_download(scope: Scope, proof: Proof) -> bool:
    """The PDF: the member it is about, or whoever handles requests at the issuing organization."""
    if scope.is_system:
        return True
    own = bool(scope.person_id and proof.person_id == scope.person_id)
    return own or scope.covers(P.HANDLE_REQUESTS, proof.issuing_org.path)


def may_withdraw(scope: Scope, proof: Proof) -> bool:
    """Withdraw a proof: the issuing side (HANDLE_REQUESTS over the issuing organization)."""
    return scope.is_system or scope.covers(P.HANDLE_REQUESTS, proof.issuing_org.path)
