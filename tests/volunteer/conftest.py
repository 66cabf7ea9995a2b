"""志愿服务 fixtures: the persona world on Monday 30 November 2026 10:00 (Asia/Shanghai), and a helper
that publishes an activity of the computer-science branch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from dangjian.accounts.scope import Scope
from dangjian.core.models import Person
from dangjian.volunteer import services
from dangjian.volunteer.models import Activity

SYSTEM = Scope.system()
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
START = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)  # Wednesday 14:00 in Shanghai
END = START + timedelta(hours=3)


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(NOW, tick=False):
        yield


def as_person(person: Person) -> Scope:
    """A member with no role: their own person only."""
    return Scope.build(None, person.pk, [])


def data(**over: Any) -> dict[str, Any]:
    base = {
        "title": "社区环境整治",
        "place": "学府路社区",
        "description": "清理小广告",
        "starts_at": START,
        "ends_at": END,
        "places": 3,
        "hours": Decimal("3"),
        "audience": "subtree",
    }
    return {**base, **over}


@pytest.fixture
def make_activity(world):
    def _make(org=None, *, publish: bool = True, **over: Any) -> Activity:
        activity = services.activity_create(
            actor=None, scope=SYSTEM, organization=org or world.cs_branch, data=data(**over)
        )
        if publish:
            activity = services.activity_publish(
                actor=None, scope=SYSTEM, activity=activity, expected_status="draft"
            )
        return activity

    return _make
