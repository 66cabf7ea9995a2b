"""What 党费 contributes to the 预警 centre (issue 16), set-based over the whole tree.

``dues.unpaid``: a member on the roll whose bills of the last months are unpaid in a row — counted
back from the last month that has ended (a month still running is never judged: it may be paid until
its end) to the last month paid (an exempt month, billed 0, is paid). ``dues_unpaid_warning_months``
(3) [local practice] in a row: a warning to the branch; ``dues_lapse_months`` (6): serious — 党章
第九条, not paying for six months without a proper reason is treated as 自行脱党, which the branch
looks into (nothing changes automatically). One finding per member (key ``person:<id>``, the level
rising while the run lasts), for the branch where the membership is now.

Also the last day each person paid (a payment or 大额党费 not reversed), for the 失联 warning of
``insights`` (``hooks.LastContact``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.scope import Scope
from dangjian.core.models import ON_ROLL_STANDINGS
from dangjian.dues import access
from dangjian.dues.models import Bill, Entry, EntryKind
from dangjian.hooks import Finding
from dangjian.policy import get_policy

CODE = "dues.unpaid"
_BRANCH = "person__membership__organization_id"


def unpaid_runs(today: date) -> QuerySet[Bill, dict[str, Any]]:
    """Per member on the roll with at least ``dues_unpaid_warning_months`` unpaid bills in a row before
    ``today``'s month: ``n`` (months in the run), ``since`` (its first month) and ``owed`` (one query)."""
    month = today.replace(day=1)
    last_paid = (
        Bill.objects.filter(person_id=OuterRef("person_id"), month__lt=month, paid_amount__gte=F("amount"))
        .order_by("-month")
        .values("month")[:1]
    )
    return (
        Bill.objects.filter(
            month__lt=month,
            paid_amount__lt=F("amount"),
            person__membership__standing__in=ON_ROLL_STANDINGS,
        )
        .annotate(last_paid=Subquery(last_paid))
        .filter(Q(last_paid__isnull=True) | Q(month__gt=F("last_paid")))
        .values("person_id", "person__name", _BRANCH)
        .annotate(n=Count("id"), since=Min("month"), owed=Sum(F("amount") - F("paid_amount")))
        .filter(n__gte=get_policy().dues_unpaid_warning_months)
        .order_by()
    )


def unpaid_findings(today: date) -> Iterator[Finding]:
    lapse = get_policy().dues_lapse_months
    for row in unpaid_runs(today).iterator(chunk_size=2000):
        serious = row["n"] >= lapse
        yield Finding(
            key=f"person:{row['person_id']}",
            organization_id=row[_BRANCH],
            summary=_("%(name)s 已连续 %(n)s 个月未交纳党费（%(since)s 起，共 %(owed)s 元）")
            % {
                "name": row["person__name"],
                "n": row["n"],
                "since": f"{row['since']:%Y-%m}",
                # SQLite sums decimals with many trailing digits: money shows in yuan and fen.
                "owed": f"{Decimal(str(row['owed'] or 0)):.2f}",
            },
            rule=(
                _("党章 第九条：党员无正当理由，连续六个月不交纳党费，被认为是自行脱党")
                if serious
                else _("党费规定：党员应按月交纳党费；连续 %(n)s 个月未交，提醒支部了解情况（本校规定）")
                % {"n": get_policy().dues_unpaid_warning_months}
            ),
            level="serious" if serious else "warning",
            person_id=row["person_id"],
            url=reverse("dues:person", args=[row["person_id"]]),
            detail={"months": row["n"], "since": row["since"].isoformat(), "owed": str(row["owed"])},
        )


def unpaid_count(scope: Scope, today: date) -> int:
    """The members in the scope with such a run (one query)."""
    return unpaid_runs(today).filter(access.view_q(scope, "person__membership__organization__path")).count()


def last_paid() -> Iterator[tuple[int, date]]:
    """Each person's latest payment that was not reversed (one GROUP BY query)."""
    rows = (
        Entry.objects.filter(kind__in=(EntryKind.PAYMENT, EntryKind.LARGE), reversed_by__isnull=True)
        .values("person_id")
        .annotate(last=Max(Coalesce("paid_on", "period")))
        .values_list("person_id", "last")
        .order_by()
    )
    return rows.iterator(chunk_size=5000)
