"""Demo dues for 示范大学: standards by person type, a year of bills, payments with some members behind,
and reconciliation states (older months confirmed, last month partly handed up). Bulk (COPY on PostgreSQL),
deterministic: the ledger is written first, so the bills generated set-based come out paid."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from dangjian.core.models import ON_ROLL_STANDINGS, Membership, OrgKind, PersonType
from dangjian.dues import rules
from dangjian.dues.billing import bills_generate
from dangjian.dues.models import (
    Assessment,
    BaseMethod,
    Entry,
    EntryKind,
    MonthReport,
    PayMethod,
    ReportStatus,
)
from dangjian.kit.bulk import copy_insert, copy_rows
from dangjian.kit.dates import add_months
from dangjian.kit.planner import analyze_now

BILLED_MONTHS = 12


def _standard(rng: random.Random, person_type: str, from_month: date) -> dict[str, object]:
    items: dict[str, str]
    if person_type == PersonType.STUDENT:
        category, base, items = rules.STUDENT, None, {}
    elif person_type == PersonType.RETIRED:
        category, base, items = rules.RETIREE, Decimal(rng.randrange(3800, 7800)), {}
    else:
        category = rules.EMPLOYEE
        post, scale = Decimal(rng.randrange(2800, 6800)), Decimal(rng.randrange(900, 3200))
        perf, allow = Decimal(rng.randrange(1500, 4200)), Decimal(rng.randrange(300, 1200))
        tax = (post + scale + perf) * Decimal("0.03")
        insurance, fund, annuity = post * Decimal("0.105"), post * Decimal("0.12"), post * Decimal("0.04")
        pay = rules.PayItems(
            *(v.quantize(rules.CENT) for v in (post, scale, perf, allow, tax, insurance, fund, annuity))
        )
        base = rules.base_from_items(pay)
        items = {n: str(getattr(pay, n)) for n in rules.PayItems.INCLUDED + rules.PayItems.DEDUCTED}
    quote = rules.monthly_dues(category, base, from_month)
    return {
        "category": category,
        "base": base,
        "base_method": BaseMethod.ITEMS
        if items
        else (BaseMethod.DIRECT if base is not None else BaseMethod.NONE),
        "pay_items": items,
        "rate": quote.rate,
        "amount": quote.amount,
        "rule_code": quote.rule_code,
    }


def seed_dues(*, seed: int = 2026, today: date | None = None) -> dict[str, int]:
    rng = random.Random(seed + 7)
    today = today or timezone.localdate()
    current = today.replace(day=1)
    first = add_months(current, -(BILLED_MONTHS - 1))
    members = list(
        Membership.objects.filter(standing__in=ON_ROLL_STANDINGS)
        .order_by("person_id")
        .values_list("person_id", "person__person_type", "organization_id")
    )
    months = [add_months(first, i) for i in range(BILLED_MONTHS)]
    standards = [
        Assessment(person_id=pid, from_month=first, note="演示数据", **_standard(rng, ptype, first))  # type: ignore[arg-type]
        for pid, ptype, _org in members
    ]
    amounts = {a.person_id: Decimal(a.amount).quantize(rules.CENT) for a in standards}
    # Most members are paid up to last month, some are 1-5 months behind, a few stopped 7 months ago.
    entries: list[tuple[object, ...]] = []
    paid_today = timezone.localdate()
    for pid, _ptype, org_id in members:
        roll = rng.random()
        behind = 0 if roll < 0.8 else (rng.randrange(1, 6) if roll < 0.985 else 7)
        last_paid = (
            add_months(current, -1 - behind)
            if behind
            else current
            if rng.random() < 0.4
            else add_months(current, -1)
        )
        batch = f"{rng.getrandbits(128):032x}"  # one payment's entries share it; from the seed, as all else
        for month in months:
            if month > last_paid or amounts[pid] <= 0:
                break
            method = PayMethod.CASH if rng.random() < 0.6 else PayMethod.TRANSFER
            paid_on = min(month.replace(day=10), paid_today)
            entries.append(
                (pid, org_id, EntryKind.PAYMENT, month, month, amounts[pid], method, paid_on, batch)
            )
    with transaction.atomic():
        copy_insert(Assessment, standards)
        copy_rows(
            Entry,
            [
                "person_id",
                "organization_id",
                "kind",
                "month",
                "period",
                "amount",
                "method",
                "paid_on",
                "batch",
            ],
            entries,
        )
        # The ledger first, so each month's bills come out with what was paid and its reports complete.
        analyze_now(Assessment, Entry, Membership)
        for month in months:
            bills_generate(month)
        _reconcile(rng, months[:-2], months[-2])
    return {"dues_standards": len(members), "dues_entries": len(entries)}


def _reconcile(rng: random.Random, confirmed_months: list[date], last_month: date) -> None:
    """Branch months before last month confirmed; last month handed up by about half of the branches."""
    now = timezone.now()
    MonthReport.objects.filter(month__in=confirmed_months, organization__kind=OrgKind.BRANCH).update(
        status=ReportStatus.CONFIRMED,
        submitted_at=now,
        confirmed_at=now,
        handed_up_amount=F("collected_amount"),
    )
    lines: dict[int, dict[str, str]] = defaultdict(dict)
    for org_id, person_id, total in (
        Entry.objects.filter(period=last_month)
        .values("organization_id", "person_id")
        .annotate(t=Sum("amount"))
        .values_list("organization_id", "person_id", "t")
    ):
        lines[org_id][str(person_id)] = str(Decimal(str(total)).quantize(rules.CENT))
    submitted = []
    for report in MonthReport.objects.filter(month=last_month, organization__kind=OrgKind.BRANCH).order_by(
        "organization_id"
    ):
        if rng.random() < 0.5:
            report.status = ReportStatus.SUBMITTED
            report.handed_up_amount = report.collected_amount
            report.submitted_lines = lines.get(report.organization_id, {})
            report.submitted_at = report.updated_at = now
            submitted.append(report)
    MonthReport.objects.bulk_update(
        submitted,
        ["status", "handed_up_amount", "submitted_lines", "submitted_at", "updated_at"],
        batch_size=500,
    )
