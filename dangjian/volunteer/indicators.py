"""志愿服务's indicator for 评价与预警 — the share of a branch's members who served in the period — and
the person indicator shown beside each member in 民主评议 (the year's volunteer hours).

A member served when one of their sign-ups of an activity that started in the period (Asia/Shanghai
dates) was credited hours (> 0: checked in by the code, or 补录 by the organizer). Set-based: one grouped
query over the members of every active branch."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy

from dangjian.core.indicators import members_on
from dangjian.hooks import Indicator, PersonIndicator, Reading
from dangjian.volunteer.models import SignUp
from dangjian.volunteer.rules import hours_text
from dangjian.volunteer.selectors import hours_in_year

SOURCE = gettext_lazy("志愿服务")


def served_q(start: date, end: date, person_field: str = "person_id") -> Exists:
    return Exists(
        SignUp.objects.filter(
            person_id=OuterRef(person_field),
            cancelled_at__isnull=True,
            hours_granted__gt=0,
            activity__starts_at__date__gte=start,
            activity__starts_at__date__lte=end,
        )
    )


def participation_readings(start: date, end: date) -> dict[int, Reading]:
    """``volunteer.participation``: members who served in [start, end] / members at ``end``, per branch."""
    rows = (
        members_on(end)
        .annotate(served=served_q(start, end))
        .values_list("organization_id")
        .annotate(n=Count("id"), ok=Count("id", filter=Q(served=True)))
        .order_by()
    )
    return {org_id: Reading(ok / n, ok, n) for org_id, n, ok in rows if n}


def hours_values(person_ids: Sequence[int], year: int) -> dict[int, tuple[Any, str, bool | None]]:
    """``volunteer.hours``: the year's credited hours ("6 小时"); no rule, so ``ok`` is None. One query."""
    totals = hours_in_year(list(person_ids), year)
    values: dict[int, tuple[Any, str, bool | None]] = {}
    for person_id in person_ids:
        total = totals.get(person_id, Decimal("0"))
        values[person_id] = (total, hours_text(total), None)
    return values


INDICATORS = (
    Indicator(
        "volunteer.participation",
        gettext_lazy("参加志愿服务党员比例"),
        SOURCE,
        participation_readings,
        unit="ratio",
        better="higher",
        description=gettext_lazy(
            "期末日在册且已入党的党员为分母（按组织关系所在支部）；其中在统计期内开始的志愿服务活动中"
            "有认定时长（扫码签到或组织者补录，时长大于 0）的为分子。院系取所辖支部合计的比例。"
            "依据：党员服务群众（志愿服务），本校设置。"
        ),
        url_name="",
        rollup="ratio",
        order=420,
    ),
)

PERSON_INDICATORS = (
    PersonIndicator("volunteer.hours", gettext_lazy("志愿服务时长"), hours_values, order=60),
)
