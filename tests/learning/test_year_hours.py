"""Study hours this year against the yearly requirement (policy: 32 for members, 56 for cadres)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangjian.learning.models import StudyHours
from dangjian.learning.tiles import year_hours

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("hours", "met"),
    [("0", False), ("31.9", False), ("32", True), ("40.5", True)],
)
def test_a_member_meets_the_year_at_32_hours(world, hours: str, met: bool) -> None:
    StudyHours.objects.create(
        person=world.member,
        hours=Decimal(hours),
        on=date(2026, 3, 1),
        source_kind="training_class",
        source_ref="t1",
    )
    StudyHours.objects.create(  # last year's hours do not count
        person=world.member,
        hours=Decimal("50"),
        on=date(2025, 12, 31),
        source_kind="training_class",
        source_ref="t0",
    )
    result = year_hours(world.member.pk, today=TODAY)
    assert (result.required, result.met, result.hours) == (32, met, Decimal(hours))


def test_a_secretary_needs_56_hours(world) -> None:
    result = year_hours(world.secretary.pk, today=TODAY)
    assert (result.cadre, result.required, result.missing) == (True, 56, Decimal("56"))


def test_the_requirement_is_a_school_setting(world, settings) -> None:
    settings.DANGJIAN_POLICY = {"study_member_hours_per_year": 40}
    assert year_hours(world.member.pk, today=TODAY).required == 40
