"""党费's indicator for 评价与预警 (issue 16) — dues paid on time, per branch and period — and the person
indicator shown beside each member in 民主评议.

On time (党费规定: 党员应按月交纳党费): a bill is due when its month is over; it was paid on time when it is
paid in full and none of the payments recorded for its month was handed over (``paid_on``) after that
month. A payment in advance is on time; a later 补交 is not; a payment whose hand-over day was not recorded
(entries older than the field) is taken as on time. Exempt months (nothing to pay) are not counted.

Set-based: bills due and paid in full per branch in one grouped query over the bills of the period, and
the paid bills with a late payment in a second (an EXISTS the planner turns into a semi-join)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.indicators import branch_q
from dangjian.dues.models import Bill, Entry, EntryKind
from dangjian.hooks import Indicator, PersonIndicator, Reading

SOURCE = gettext_lazy("党费")


def _due_bills(start: date, end: date) -> QuerySet[Bill]:
    """Bills of the months from ``start`` to ``end`` with something to pay, whose month is over."""
    this_month = timezone.localdate().replace(day=1)
    return Bill.objects.filter(month__gte=start.replace(day=1), month__lte=end, amount__gt=0).filter(
        month__lt=this_month
    )


def _paid_late(start: date, end: date) -> Exists:
    """A payment of the bill's month handed over after that month (the period's months named again on
    the entries, so that the planner hashes only theirs for the semi-join)."""
    return Exists(
        Entry.objects.filter(
            person_id=OuterRef("person_id"),
            month=OuterRef("month"),
            kind=EntryKind.PAYMENT,
            month__gte=start.replace(day=1),
            month__lte=end,
            paid_on__isnull=False,
        )
        .annotate(paid_month=TruncMonth("paid_on"))
        .filter(paid_month__gt=OuterRef("month"))
    )


_PAID = Q(paid_amount__gte=F("amount"))


def paid_on_time_readings(start: date, end: date) -> dict[int, Reading]:
    """``dues.paid_on_time``: bills paid on time / bills due, by the branch that billed them."""
    bills = _due_bills(start, end).filter(branch_q("organization", end))
    counts = {
        org_id: (due, paid)
        for org_id, due, paid in bills.values_list("organization_id")
        .annotate(due=Count("id"), paid=Count("id", filter=_PAID))
        .order_by()
    }
    late = dict(
        bills.filter(_PAID)
        .filter(_paid_late(start, end))
        .values_list("organization_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("organization_id", "n")
    )
    readings = {}
    for org_id, (due, paid) in counts.items():
        on_time = paid - late.get(org_id, 0)
        readings[org_id] = Reading(on_time / due, on_time, due)
    return readings


def on_time_values(person_ids: Sequence[int], year: int) -> dict[int, tuple[Any, str, bool | None]]:
    """``dues.on_time``: of the year's months due, those paid on time ("按时交纳 11/12 个月"); ok when no
    month due is unpaid now (paid late counts as paid). Two queries."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    bills = _due_bills(first, last).filter(person_id__in=list(person_ids))
    counts = {
        person_id: (due, paid)
        for person_id, due, paid in bills.values_list("person_id")
        .annotate(due=Count("id"), paid=Count("id", filter=_PAID))
        .order_by()
    }
    late = dict(
        bills.filter(_PAID)
        .filter(_paid_late(first, last))
        .values_list("person_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("person_id", "n")
    )
    values: dict[int, tuple[Any, str, bool | None]] = {}
    for person_id, (due, paid) in counts.items():
        on_time = paid - late.get(person_id, 0)
        text = _("按时交纳 %(n)d/%(due)d 个月") % {"n": on_time, "due": due}
        values[person_id] = (on_time / due, text, paid == due)
    return values


INDICATORS = (
    Indicator(
        "dues.paid_on_time",
        gettext_lazy("党费按时交纳率"),
        SOURCE,
        paid_on_time_readings,
        unit="ratio",
        better="higher",
        description=gettext_lazy(
            "统计期内各月的应交党费账单（免交、应交金额为 0 的月份不计；当月尚未结束的不计）为分母，"
            "按其开具账单的党支部统计；已足额交纳且该月的交纳记录中没有交纳日期晚于该月的（即当月或"
            "提前交清，不是事后补交）为分子。期内没有应交账单的支部不计。"
            "依据：《关于中国共产党党费收缴、使用和管理的规定》（党员应按月交纳党费）。"
        ),
        url_name="dues:org",
        rollup="ratio",
        order=210,
    ),
)

PERSON_INDICATORS = (
    PersonIndicator(
        "dues.on_time",
        gettext_lazy("党费按时交纳"),
        on_time_values,
        order=30,
    ),
)
