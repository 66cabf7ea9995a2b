"""Bills (应交) generated set-based, and the exact monthly totals of each branch (MonthReport).

``bills_generate`` is one INSERT … SELECT per month (no Python loop per member); running it twice adds
nothing (the (person, month) unique key and ON CONFLICT DO NOTHING). ``refresh_branch_reports`` recomputes
a branch's totals from its bills and ledger in the transaction of every change; confirmed months stay as
they were confirmed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from dangjian.core.models import ON_ROLL_STANDINGS, Membership
from dangjian.dues.models import (
    Assessment,
    Bill,
    DecisionStatus,
    Entry,
    EntryKind,
    MonthReport,
    Relief,
    ReportStatus,
)
from dangjian.kit.dates import add_months
from dangjian.kit.planner import analyze

ZERO = Decimal("0")


def _generate_sql() -> str:
    bill, assess, relief = Bill._meta.db_table, Assessment._meta.db_table, Relief._meta.db_table
    member, entry = Membership._meta.db_table, Entry._meta.db_table
    standings = ", ".join(f"'{s}'" for s in ON_ROLL_STANDINGS)
    return f"""
        INSERT INTO {bill} (person_id, organization_id, month, standard_amount, amount, paid_amount,
                            assessment_id, relief_id, rule_code, created_at)
        SELECT m.person_id, m.organization_id, %(month)s, a.amount,
               CASE WHEN r.id IS NULL THEN a.amount
                    WHEN r.monthly_amount < a.amount THEN r.monthly_amount ELSE a.amount END,
               COALESCE((SELECT SUM(e.amount) FROM {entry} e
                         WHERE e.person_id = m.person_id AND e.month = %(month)s), 0),
               a.id, r.id, a.rule_code, %(now)s
        FROM {member} m
        JOIN {assess} a ON a.person_id = m.person_id AND a.from_month <= %(month)s
             AND NOT EXISTS (SELECT 1 FROM {assess} a2 WHERE a2.person_id = a.person_id
                             AND a2.from_month <= %(month)s AND a2.from_month > a.from_month)
        LEFT JOIN {relief} r ON r.person_id = m.person_id AND r.status = '{DecisionStatus.APPROVED}'
             AND r.from_month <= %(month)s AND r.to_month >= %(month)s
        WHERE m.standing IN ({standings}) AND m.joined_on < %(next_month)s
        ON CONFLICT (person_id, month) DO NOTHING
    """


def bills_generate(month: date) -> int:
    """Create the month's bills for every member on the roll who has a dues standard; returns how many.

    Probationary members are billed from the month their branch meeting accepted them (入党日期).
    """
    month = month.replace(day=1)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                _generate_sql(),
                {"month": month, "next_month": add_months(month, 1), "now": timezone.now()},
            )
            created = cursor.rowcount
        org_ids = Bill.objects.filter(month=month).values_list("organization_id", flat=True).distinct()
        refresh_branch_reports(((org_id, month) for org_id in org_ids), all_of_month=month)
    # A month's run writes a row per member (a million at province size): fresh planner statistics for
    # the pages that read the bills next, at the commit.
    analyze(Bill, MonthReport, rows=created)
    return max(created, 0)


def _bill_totals(month: date, org_ids: list[int] | None) -> dict[int, dict[str, Any]]:
    qs = Bill.objects.filter(month=month)
    if org_ids is not None:
        qs = qs.filter(organization_id__in=org_ids)
    rows = qs.values("organization_id").annotate(
        due_count=Count("id"),
        due_amount=Sum("amount"),
        paid_count=Count("id", filter=Q(paid_amount__gte=F("amount"))),
        unpaid_count=Count("id", filter=Q(paid_amount__lt=F("amount"))),
        unpaid_due=Sum("amount", filter=Q(paid_amount__lt=F("amount"))),
        unpaid_paid=Sum("paid_amount", filter=Q(paid_amount__lt=F("amount"))),
    )
    return {r["organization_id"]: r for r in rows.order_by()}


def _entry_totals(month: date, org_ids: list[int] | None) -> dict[int, dict[str, Any]]:
    qs = Entry.objects.filter(period=month)
    if org_ids is not None:
        qs = qs.filter(organization_id__in=org_ids)
    rows = qs.values("organization_id").annotate(
        collected=Sum("amount"),
        large=Sum("amount", filter=Q(kind=EntryKind.LARGE)),
        adjustments=Sum("amount", filter=~Q(kind=EntryKind.LARGE) & ~Q(month=month)),
    )
    return {r["organization_id"]: r for r in rows.order_by()}


def refresh_branch_reports(pairs: Iterable[tuple[int, date]], *, all_of_month: date | None = None) -> None:
    """Recompute the totals of (branch id, month) reports from bills and ledger; skip confirmed ones."""
    by_month: dict[date, set[int]] = {all_of_month: set()} if all_of_month else {}
    for org_id, month in pairs:
        by_month.setdefault(month.replace(day=1), set()).add(org_id)
    for month, org_set in by_month.items():
        ids = None if all_of_month == month else sorted(org_set)
        bills, entries = _bill_totals(month, ids), _entry_totals(month, ids)
        wanted = set(org_set) | set(bills) | set(entries)
        confirmed = MonthReport.objects.filter(month=month, status=ReportStatus.CONFIRMED)
        if ids is not None:
            confirmed = confirmed.filter(organization_id__in=wanted)
        locked = set(confirmed.values_list("organization_id", flat=True))
        rows = []
        for org_id in sorted(wanted - locked):
            report = MonthReport(organization_id=org_id, month=month)
            b, e = bills.get(org_id, {}), entries.get(org_id, {})
            report.due_count = b.get("due_count") or 0
            report.due_amount = b.get("due_amount") or ZERO
            report.paid_count = b.get("paid_count") or 0
            report.unpaid_count = b.get("unpaid_count") or 0
            report.unpaid_amount = (b.get("unpaid_due") or ZERO) - (b.get("unpaid_paid") or ZERO)
            report.collected_amount = e.get("collected") or ZERO
            report.large_amount = e.get("large") or ZERO
            report.adjustment_amount = e.get("adjustments") or ZERO
            report.updated_at = timezone.now()
            rows.append(report)
        MonthReport.objects.bulk_create(
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["organization", "month"],
            update_fields=[
                "due_count",
                "due_amount",
                "paid_count",
                "unpaid_count",
                "unpaid_amount",
                "collected_amount",
                "large_amount",
                "adjustment_amount",
                "updated_at",
            ],
        )
