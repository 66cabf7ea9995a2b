"""Under real concurrency (PostgreSQL): serial numbers have no gaps and no twins; one open transfer."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from dangjian.accounts.scope import Scope
from dangjian.core.models import Membership
from dangjian.kit.errors import RuleViolation
from dangjian.transfers import services
from dangjian.transfers.models import Letter, Transfer
from tests import factories as f

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _race(workers: list) -> list[object]:
    barrier = threading.Barrier(len(workers))
    results: list[object] = []

    def run(work) -> None:
        try:
            barrier.wait()
            results.append(work())
        except RuleViolation as exc:
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_concurrent_letters_get_consecutive_serials(world) -> None:
    transfers = []
    for i in range(6):
        person = f.member(world.cs_branch, f"毕业生{i}")
        transfers.append(
            services.transfer_start(
                scope=Scope.system(),
                actor=None,
                person=person,
                kind="out_national",
                reason="毕业",
                external_org="某单位党委",
            )
        )
    _race([lambda t=t: services.letter_issue(actor=None, transfer=t) for t in transfers])
    numbers = sorted(Letter.objects.values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6]


def test_one_open_transfer_per_member_under_concurrency(world) -> None:
    person = Membership.objects.get(person=world.member).person
    results = _race(
        [
            lambda: services.transfer_start(
                scope=Scope.system(),
                actor=None,
                person=person,
                kind="out_national",
                reason="a",
                external_org="甲",
            )
            for _ in range(4)
        ]
    )
    assert Transfer.objects.filter(person=person).count() == 1
    assert sum(isinstance(r, RuleViolation) for r in results) == 3
