"""Reads of the transfers module, through the scope: a transfer is visible to the sending side, the
receiving side and the member."""

from __future__ import annotations

from datetime import date
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
    scope: Scope,
    *,
    kind: str = "",
    status: str = "",
    open_only: bool = False,
    since: date | None = None,
    until: date | None = None,
    org_path: str = "",
) -> QuerySet[Transfer]:
    """The register: filters by kind, status, the period in which the transfer was requested, and an org
    (transfers from or to its subtree)."""
    qs = transfers_visible_to(scope)
    if org_path:
        qs = qs.filter(
            Q(from_org__path__startswith=org_path)
            | Q(to_org__path__startswith=org_path)
            | Q(to_college__path__startswith=org_path)
        )
    if since is not None:
        qs = qs.filter(created_at__date__gte=since)
    if until is not None:
        qs = qs.filter(created_at__date__lte=until)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    return qs.order_by("-created_at", "-id")


def graduate_colleges(scope: Scope) -> QuerySet[Any]:
    """The colleges (院系党委/党总支) whose graduates the user transfers in bulk: the graduates page opens
    only when there is one, and the register draws its link by the same question."""
    from dangjian.core.models import OrgKind
    from dangjian.core.selectors import organizations_within

    return (
        organizations_within(scope, P.APPROVE_TRANSFERS)
        .filter(is_active=True, kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH], depth__gte=2)
        .order_by("path")
    )


def record_in_branches(scope: Scope) -> QuerySet[Any]:
    """The branches an incoming member may be placed in (``access.may_place_in``): the active branches the
    user handles transfers for."""
    from dangjian.core.models import OrgKind
    from dangjian.core.selectors import organizations_within

    return (
        organizations_within(scope, P.MANAGE_TRANSFERS)
        .filter(kind=OrgKind.BRANCH, is_active=True)
        .order_by("path")
    )


def people_with_open_transfers(person_ids: list[int]) -> set[int]:
    """Which of these people have a transfer in progress (one query, for a list page)."""
    return set(
        Transfer.objects.filter(person_id__in=person_ids, status__in=OPEN_STATUSES).values_list(
            "person_id", flat=True
        )
    )


def open_transfer_of(person_id: int) -> Transfer | None:
    return Transfer.objects.filter(person_id=person_id, status__in=OPEN_STATUSES).first()


# The per-college table shows at most this many colleges: a province's school has 3,000 (36,000 cells).
MONTHLY_ROWS = 20


def monthly_counts(
    scope: Scope, *, months: int = 6, today: date | None = None, limit: int = MONTHLY_ROWS
) -> dict[str, Any]:
    """Completed transfers per college (the orgs at depth 2) and month, for the last ``months`` months:
    outgoing and in-school counted at the sending college, incoming at the receiving one (one query for
    both sides, and one for the colleges shown). All colleges in the tree's order when they fit in
    ``limit`` rows, else the busiest ``limit`` of them; ``totals`` is every college's sum per month,
    ``left_out`` how many colleges the table leaves out."""
    from django.db.models import Count
    from django.db.models.functions import Substr, TruncMonth
    from django.utils import timezone

    from dangjian.core.models import Organization
    from dangjian.kit.dates import add_months

    today = today or timezone.localdate()
    first = add_months(today.replace(day=1), -(months - 1))
    done = transfers_visible_to(scope).filter(status="completed", completed_on__gte=first)
    width = 2 * Organization.steplen
    cells: dict[tuple[str, date], int] = {}
    sides = [
        done.exclude(**{field: None})
        .annotate(college=Substr(field, 1, width), month=TruncMonth("completed_on"))
        .values("college", "month")
        .annotate(n=Count("id"))
        .order_by()
        for field in ("from_org__path", "to_org__path")
    ]
    for college, month, n in sides[0].union(sides[1], all=True).values_list("college", "month", "n"):
        if len(college) == width:  # not the school's own transfers
            cells[(college, month)] = cells.get((college, month), 0) + n
    month_list = [add_months(first, i) for i in range(months)]
    index = {m: i for i, m in enumerate(month_list)}
    per_college: dict[str, int] = {}
    totals = [0] * months
    for (path, month), n in cells.items():
        per_college[path] = per_college.get(path, 0) + n
        if month in index:
            totals[index[month]] += n
    paths = sorted(per_college)
    if len(paths) > limit:
        paths = sorted(paths, key=lambda p: (-per_college[p], p))[:limit]
    colleges = {o.path: o for o in Organization.objects.filter(path__in=paths, depth=2)}
    table = [
        (colleges[path], [cells.get((path, m), 0) for m in month_list]) for path in paths if path in colleges
    ]
    return {"months": month_list, "rows": table, "totals": totals, "left_out": len(per_college) - len(table)}
