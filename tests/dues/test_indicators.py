"""党费's indicator (issue 16): bills paid on time (within their month) over bills due; the person
indicator "按时交纳 11/12 个月"."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from dangjian import hooks
from dangjian.core.models import Organization, OrgKind, Person
from dangjian.dues.indicators import on_time_values, paid_on_time_readings
from dangjian.dues.models import Assessment, Bill, Entry, EntryKind
from tests import factories as f

Q1 = (date(2026, 1, 1), date(2026, 3, 31))
_batch = itertools.count(1)


@pytest.fixture
def college(db) -> Organization:
    school = f.org(None, OrgKind.COMMITTEE, "学校党委")
    return f.org(school, OrgKind.COMMITTEE, "学院党委")


def _bill(person: Person, branch: Organization, month: date, amount: str = "76.50") -> Bill:
    standard, _new = Assessment.objects.get_or_create(
        person=person,
        from_month=date(2025, 1, 1),
        defaults={
            "category": "employee",
            "base_method": "none",
            "amount": Decimal(amount),
            "rule_code": "2008",
        },
    )
    return Bill.objects.create(
        person=person,
        organization=branch,
        month=month,
        standard_amount=Decimal(amount),
        amount=Decimal(amount),
        assessment=standard,
        rule_code="2008",
    )


def _pay(bill: Bill, paid_on: date | None, amount: str | None = None) -> None:
    money = Decimal(amount) if amount is not None else bill.amount
    Entry.objects.create(
        person_id=bill.person_id,
        organization_id=bill.organization_id,
        kind=EntryKind.PAYMENT,
        month=bill.month,
        period=(paid_on or bill.month).replace(day=1),
        amount=money,
        method="cash",
        paid_on=paid_on,
        batch=f"b{next(_batch)}",
    )
    Bill.objects.filter(pk=bill.pk).update(paid_amount=bill.paid_amount + money)
    bill.refresh_from_db()


@pytest.mark.parametrize(
    ("payments", "on_time"),
    [
        ([date(2026, 2, 1)], True),  # the month's first day
        ([date(2026, 2, 28)], True),  # its last day
        ([date(2026, 3, 1)], False),  # the day after: 补交
        ([date(2025, 12, 20)], True),  # in advance
        ([None], True),  # hand-over day not recorded (older entries): taken as on time
        ([date(2026, 2, 10), date(2026, 3, 5)], False),  # half in the month, the rest later
        ([], False),  # unpaid
    ],
)
def test_a_bill_is_on_time_when_paid_in_full_within_its_month(
    college: Organization, payments: list[date | None], on_time: bool
) -> None:
    branch = f.org(college, OrgKind.BRANCH, "支部")
    bill = _bill(f.member(branch, "党员"), branch, date(2026, 2, 1), "80.00")
    share = str(bill.amount / len(payments)) if payments else None
    for day in payments:
        _pay(bill, day, share)
    r = paid_on_time_readings(*Q1)[branch.pk]
    assert (r.numerator, r.denominator) == (1 if on_time else 0, 1)


def test_exempt_months_and_other_periods_are_not_counted(college: Organization) -> None:
    branch, exempt_only = f.org(college, OrgKind.BRANCH, "甲"), f.org(college, OrgKind.BRANCH, "乙")
    p = f.member(branch, "党员")
    _pay(_bill(p, branch, date(2026, 1, 1)), date(2026, 1, 5))
    _bill(p, branch, date(2026, 3, 1))  # unpaid
    _bill(p, branch, date(2026, 4, 1))  # another period
    _bill(f.member(exempt_only, "免交"), exempt_only, date(2026, 1, 1), "0.00")
    readings = paid_on_time_readings(*Q1)
    assert (readings[branch.pk].numerator, readings[branch.pk].denominator) == (1, 2)
    assert exempt_only.pk not in readings


def test_the_running_month_is_not_due_yet(college: Organization) -> None:
    branch = f.org(college, OrgKind.BRANCH, "支部")
    p = f.member(branch, "党员")
    _pay(_bill(p, branch, date(2026, 2, 1)), date(2026, 2, 3))
    _bill(p, branch, date(2026, 3, 1))
    with time_machine.travel(date(2026, 3, 20), tick=False):
        r = paid_on_time_readings(*Q1)[branch.pk]
    assert (r.numerator, r.denominator) == (1, 1)


def test_person_values_in_two_queries(college: Organization, django_assert_max_num_queries) -> None:
    branch = f.org(college, OrgKind.BRANCH, "支部")
    good, late, unpaid, none = (f.member(branch, n) for n in ("按时", "补交", "欠交", "无账单"))
    for month in range(1, 13):
        day = date(2026, month, 1)
        if month < 11:  # bills up to October (November is still running on 2026-11-30)
            _pay(_bill(good, branch, day), day)
            _pay(_bill(late, branch, day), date(2026, 11, 1) if month == 3 else day)
            b = _bill(unpaid, branch, day)
            if month != 5:
                _pay(b, day)
    with time_machine.travel(date(2026, 11, 30), tick=False), django_assert_max_num_queries(2):
        values = on_time_values([good.pk, late.pk, unpaid.pk, none.pk], 2026)
    assert values[good.pk][1:] == ("按时交纳 10/10 个月", True)
    assert values[late.pk][1:] == ("按时交纳 9/10 个月", True)  # paid late is still paid
    assert values[unpaid.pk][1:] == ("按时交纳 9/10 个月", False)
    assert none.pk not in values


def _branches(college: Organization, n: int) -> None:
    for i in range(n):
        branch = f.org(college, OrgKind.BRANCH, f"支部{i}")
        p = f.member(branch, f"党员{i}")
        _pay(_bill(p, branch, date(2026, 1, 1)), date(2026, 2, 2))
        _bill(p, branch, date(2026, 2, 1))


def test_readings_cost_the_same_queries_for_2_and_20_branches(
    college: Organization, django_assert_max_num_queries, django_assert_num_queries
) -> None:
    indicator = hooks.indicators.get("dues.paid_on_time")
    _branches(college, 2)
    with django_assert_max_num_queries(2) as two:
        assert len(indicator.readings(*Q1)) == 2
    _branches(college, 18)
    with django_assert_num_queries(len(two.captured_queries)):
        readings = indicator.readings(*Q1)
    assert len(readings) == 20
    assert {(r.numerator, r.denominator) for r in readings.values()} == {(0, 2)}
