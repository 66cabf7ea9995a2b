"""The demo: the nightly run on the demo date, one warning being handled and one closed with a note."""

from __future__ import annotations

import pytest

from dangjian import hooks
from dangjian.hooks.seeding import seeding_order
from dangjian.insights.models import Alert, AlertStatus
from dangjian.insights.warnings.demo import seed_warnings
from tests.insights.warnings.conftest import TODAY, finding

pytestmark = pytest.mark.django_db


def test_the_demo_runs_the_sync_then_takes_one_and_closes_one(world, fake, branch_secretary) -> None:
    fake.cases = [finding(world.cs_branch, k) for k in ("a", "b", "c")]
    counts = seed_warnings(today=TODAY)
    assert counts == {"warnings": 3, "warnings taken": 1, "warnings closed": 1}
    statuses = sorted(Alert.objects.values_list("status", flat=True))
    assert statuses == sorted([AlertStatus.OPEN, AlertStatus.HANDLING, AlertStatus.CLOSED])
    closed = Alert.objects.get(status=AlertStatus.CLOSED)
    assert closed.note and closed.handled_by == branch_secretary


def test_the_demo_with_nothing_found_just_runs(world, fake) -> None:
    assert seed_warnings(today=TODAY) == {"warnings": 0, "warnings taken": 0, "warnings closed": 0}


def test_the_demo_seeds_after_every_module() -> None:
    names = [s.name for s in seeding_order(hooks.seeders.all())]
    assert names.index("insights.warnings") > max(
        names.index(n) for n in ("orglife.absence", "returns", "learning")
    )
