"""Double submission under real concurrency (PostgreSQL): the same idempotency key records one payment,
and two different payments of the same month cannot both settle it."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections

from dangjian.accounts.scope import Scope
from dangjian.core.models import Membership
from dangjian.dues import services
from dangjian.dues.billing import bills_generate
from dangjian.dues.models import Bill, Entry
from dangjian.kit.errors import RuleViolation

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]
NOV = date(2026, 11, 1)


def _race(calls: int, key_for) -> list[object]:
    person = Membership.objects.select_related("person").first().person
    barrier = threading.Barrier(calls)
    results: list[object] = []

    def worker(i: int) -> None:
        try:
            barrier.wait()
            results.append(
                services.payment_record(
                    actor=None,
                    scope=Scope.system(),
                    person=person,
                    months=[NOV],
                    method="cash",
                    idempotency_key=key_for(i),
                    today=NOV,
                )
            )
        except RuleViolation as exc:
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def one_bill(world):
    person = world.member
    services.assessment_set(
        actor=None,
        scope=Scope.system(),
        person=person,
        from_month=NOV,
        category="employee",
        base=Decimal("5100"),
    )
    bills_generate(NOV)
    Membership.objects.exclude(person=person).delete()  # keep the race on one member
    return person


def test_same_key_concurrently_records_one_payment(one_bill) -> None:
    results = _race(4, lambda i: "same-key")
    assert Entry.objects.count() == 1
    assert all(not isinstance(r, Exception) for r in results)
    assert Bill.objects.get(person=one_bill, month=NOV).paid_amount == Decimal("76.50")


def test_different_keys_for_the_same_month_settle_it_once(one_bill) -> None:
    results = _race(4, lambda i: f"key-{i}")
    assert Entry.objects.count() == 1
    assert sum(isinstance(r, RuleViolation) for r in results) == 3
    assert Bill.objects.get(person=one_bill, month=NOV).paid_amount == Decimal("76.50")
