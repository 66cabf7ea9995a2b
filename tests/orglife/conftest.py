"""组织生活 fixtures: a meeting factory for the persona world (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

import pytest

from dangjian.accounts.scope import Scope
from dangjian.orglife.meetings import services
from dangjian.orglife.models import Meeting

SYSTEM = Scope.system()  # the platform itself: every check passes


@pytest.fixture
def make_meeting(world) -> Callable[..., Meeting]:
    """An ad-hoc meeting of the CS teachers' branch (``org`` to change), attendees computed."""

    def _make(
        kind: str = "assembly",
        day: date = date(2026, 11, 24),
        at: time = time(14, 30),
        org: Any = None,
        **extra: Any,
    ) -> Meeting:
        return services.meeting_create(
            actor=None,
            scope=SYSTEM,
            org=org or world.cs_branch,
            kind=kind,
            topic=extra.pop("topic", "学习党的二十届四中全会精神"),
            day=day,
            start_time=at,
            **extra,
        )

    return _make
