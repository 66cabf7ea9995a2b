"""Reads of the transfers module, through the scope: a transfer is visible to the sending side, the
receiving side and the member."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.transfers.models import OPEN_STATUSES, Transfer

P = Permission


def transfers_visible_to(scope: Scope) -> QuerySet[Transfer]:
    q = Q(pk__in=[])
    for perm in (P.MANAGE_TRANSFERS, P.APPROVE_TRANSFERS):
        if scope.has(perm):
            q |= (
                scope.q(perm, "from_org__path")
                | scope.q(perm, "to_college__path")
                | scope.q(perm, "to_org__path")
            )
    if scope.person_id:
        q |= Q(person_id=scope.person_id)
    return Transfer.objects.filter(q).select_related("person", "from_org", "to_college", "to_org")


def get_transfer_for(scope: Scope, transfer_id: Any) -> Transfer:
    try:
        return transfers_visible_to(scope).get(pk=int(transfer_id))
    except (Transfer.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def transfer_list(
    scope: Scope, *, kind: str = "", status: str = "", open_only: bool = False
) -> QuerySet[Transfer]:
    qs = transfers_visible_to(scope)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    return qs.order_by("-created_at", "-id")


def people_with_open_transfers(person_ids: list[int]) -> set[int]:
    """Which of these people have a transfer in progress (one query, for a list page)."""
    return set(
        Transfer.objects.filter(person_id__in=person_ids, status__in=OPEN_STATUSES).values_list(
            "person_id", flat=True
        )
    )


def open_transfer_of(person_id: int) -> Transfer | None:
    return Transfer.objects.filter(person_id=person_id, status__in=OPEN_STATUSES).first()
