"""GET /api/v1/learning/me: the caller's own year of study, for a phone client."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from dangjian.learning.models import StudyHours

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-07-02 12:00+08:00", tick=False)
def test_me_gives_the_hours_the_target_and_the_pace(world, member_user, login) -> None:
    StudyHours.objects.create(
        person=world.member,
        on=date(2026, 3, 1),
        hours=Decimal("10"),
        source_kind="topic",
        source_ref="a",
        note="党史",
    )
    body = login(member_user).get("/api/v1/learning/me").json()
    year = body["year"]
    assert (
        year["year"],
        year["target"],
        year["cadre"],
        year["behind_pace"],
        year["met"],
        year["percent"],
    ) == (
        2026,
        32,
        False,
        True,
        False,
        31,
    )
    assert Decimal(str(year["hours"])) == Decimal("10")
    assert Decimal(str(year["expected_by_today"])) == Decimal("16.0")
    assert [r["source_label"] for r in body["rows"]] == ["专题培训"]


def test_me_needs_a_person(world, school_admin, login, client) -> None:
    assert client.get("/api/v1/learning/me").status_code == 401
