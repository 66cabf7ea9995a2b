"""Reads of 智慧服务, through the scope: the requests one handles (filtered, overdue first), one's own
requests and proofs, one request or proof (404 outside), a proof by its verification code (public).
Each list is one query whatever its length."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from dangjian.accounts.scope import Scope
from dangjian.onestop import access
from dangjian.onestop.models import Proof, Request
from dangjian.onestop.rules import OPEN_STATUSES, RequestKind, RequestStatus


def _with_overdue(qs: QuerySet[Request]) -> QuerySet[Request]:
    today = timezone.localdate()
    return qs.annotate(
        overdue=Case(
            When(Q(status__in=OPEN_STATUSES, due_on__lt=today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def _base() -> QuerySet[Request]:
    return Request.objects.select_related("requester", "from_org", "handling_org", "proof")


@dataclass(frozen=True)
class Filters:
    status: str = ""  # "" : open ones; a RequestStatus; "all"
    kind: str = ""


def parse_filters(data: Any) -> Filters:
    status = str(data.get("status", "") or "")
    kind = str(data.get("kind", "") or "")
    return Filters(
        status=status if status in (*RequestStatus.values, "all") else "",
        kind=kind if kind in RequestKind.values else "",
    )


def handled_by(scope: Scope, filters: Filters = Filters()) -> QuerySet[Request]:
    """The requests addressed to organizations the scope handles: overdue first, then by deadline."""
    qs = _with_overdue(_base().filter(access.handle_q(scope)))
    if filters.status == "":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status != "all":
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs.order_by("-overdue", "due_on", "pk")


def own_requests(scope: Scope) -> QuerySet[Request]:
    return _with_overdue(_base().filter(access.own_q(scope))).order_by("-submitted_at", "-pk")


def visible_requests(scope: Scope) -> QuerySet[Request]:
    """One's own requests and those one handles (the API's list), newest first."""
    return _with_overdue(_base().filter(access.own_q(scope) | access.handle_q(scope))).order_by(
        "-submitted_at", "-pk"
    )


def waiting(scope: Scope) -> dict[str, QuerySet[Request]]:
    """The open requests that one handles ("waiting") and those of them overdue ("overdue"), to be
    counted (the to-dos)."""
    handled = Request.objects.filter(access.handle_q(scope), status__in=OPEN_STATUSES)
    return {"waiting": handled, "overdue": handled.filter(due_on__lt=timezone.localdate())}


def _get(qs: QuerySet[Request], request_id: Any) -> Request:
    try:
        return qs.get(pk=int(request_id))
    except (Request.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def get_request_to_handle(scope: Scope, request_id: Any) -> Request:
    """A request the scope handles; otherwise 404."""
    return _get(_with_overdue(_base().filter(access.handle_q(scope))), request_id)


def get_own_request(scope: Scope, request_id: Any) -> Request:
    return _get(_with_overdue(_base().filter(access.own_q(scope))), request_id)


def get_request_for(scope: Scope, request_id: Any) -> Request:
    """Own or handled; otherwise 404."""
    return _get(_with_overdue(_base().filter(access.own_q(scope) | access.handle_q(scope))), request_id)


def own_proofs(scope: Scope) -> QuerySet[Proof]:
    if not scope.person_id:
        return Proof.objects.none()
    return (
        Proof.objects.filter(person_id=scope.person_id).select_related("issuing_org").order_by("-issued_at")
    )


def get_proof_for(scope: Scope, proof_id: Any) -> Proof:
    """A proof the scope may download (its member, or the issuing side); otherwise 404."""
    try:
        proof = Proof.objects.select_related("issuing_org", "person").get(pk=int(proof_id))
    except (Proof.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if not access.may_download(scope, proof):
        raise Http404
    return proof


def get_proof_to_withdraw(scope: Scope, proof_id: Any) -> Proof:
    proof = get_proof_for(scope, proof_id)
    if not access.may_withdraw(scope, proof):
        raise Http404
    return proof


def proof_by_code(code: str) -> Proof | None:
    """The proof a verification code names (public): None for an unknown code."""
    if not code or len(code) > 32:
        return None
    return Proof.objects.select_related("issuing_org").filter(code=code).first()
