"""The day money was paid is a day that happened: never after today. The months paid may be ahead
(paying in advance with the branch's consent is policy)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.dues import services
from dangjian.dues.models import Declaration, Entry
from dangjian.kit.errors import RuleViolation

TOMORROW = date(2026, 11, 16)  # the dues fixtures freeze today at 2026-11-15
DEC, JAN = date(2026, 12, 1), date(2027, 1, 1)


def test_a_payment_dated_tomorrow_is_refused(billed) -> None:
    with pytest.raises(RuleViolation) as caught:
        services.payment_record(
            actor=None,
            scope=Scope.system(),
            person=billed.member,
            months=[date(2026, 11, 1)],
            method="cash",
            paid_on=TOMORROW,
        )
    assert caught.value.code == "date_in_future" and caught.value.field == "paid_on"
    assert "交纳日期不能晚于今天(2026-11-15)" in caught.value.message
    assert not Entry.objects.exists()


def test_paying_future_months_today_is_allowed_and_the_day_is_kept(billed) -> None:
    entries = services.payment_record(
        actor=None,
        scope=Scope.system(),
        person=billed.member,
        months=[DEC, JAN],
        method="cash",
        paid_on=date(2026, 11, 15),
    )
    assert [(e.month, e.paid_on) for e in entries] == [(DEC, date(2026, 11, 15)), (JAN, date(2026, 11, 15))]


def test_a_payment_without_a_day_is_dated_today(billed) -> None:
    (entry,) = services.payment_record(
        actor=None, scope=Scope.system(), person=billed.member, months=[date(2026, 10, 1)], method="cash"
    )
    assert entry.paid_on == date(2026, 11, 15)


def test_a_large_payment_dated_in_the_future_is_refused(billed) -> None:
    with pytest.raises(RuleViolation, match="交纳日期不能晚于今天"):
        services.large_payment_record(
            actor=None,
            scope=Scope.system(),
            person=billed.member,
            amount=Decimal("2000"),
            method="cash",
            paid_on=TOMORROW,
        )


def test_a_declaration_dated_in_the_future_is_refused_and_the_confirmed_entry_keeps_its_day(
    billed, branch_secretary
) -> None:
    with pytest.raises(RuleViolation, match="交纳日期不能晚于今天"):
        services.declaration_submit(
            actor=None,
            scope=Scope.system(),
            person=billed.member,
            months=[date(2026, 11, 1)],
            method="cash",
            paid_on=TOMORROW,
        )
    declaration = services.declaration_submit(
        actor=None,
        scope=Scope.system(),
        person=billed.member,
        months=[date(2026, 11, 1)],
        method="cash",
        paid_on=date(2026, 11, 2),
    )
    services.declaration_decide(
        actor=branch_secretary, scope=resolve_scope(branch_secretary), declaration=declaration, approve=True
    )
    assert Entry.objects.get(person=billed.member).paid_on == date(2026, 11, 2)


def test_the_payment_form_shows_the_future_date_on_its_field(billed, login, branch_secretary) -> None:
    url = reverse("dues:payment_new", args=[billed.member.pk])
    page = login(branch_secretary).post(
        url, {"months": ["2026-11-01"], "method": "cash", "paid_on": "2026-11-16", "idempotency_key": "f1"}
    )
    assert page.status_code == 200 and "交纳日期不能晚于今天" in page.content.decode()
    assert not Entry.objects.exists()


def test_the_declaration_form_refuses_a_future_day(billed, login, member_user) -> None:
    page = login(member_user).post(
        reverse("dues:declare"),
        {"months": ["2026-11-01"], "method": "cash", "paid_on": "2027-11-01", "idempotency_key": "f2"},
    )
    assert page.status_code == 200 and "交纳日期不能晚于今天" in page.content.decode()
    assert not Declaration.objects.exists()
