"""党员学习's section of the 体检报告: the members of the organization spread against their yearly target
(32 学时; 56 for a committee member such as the secretary), judged at the period's end — one query."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangjian.core.models import Person
from dangjian.learning.models import StudyYear
from dangjian.learning.report_section import hours_section

pytestmark = pytest.mark.django_db


def test_members_fall_in_the_band_of_their_hours_against_their_target(
    world, django_assert_max_num_queries
) -> None:
    zhang = Person.objects.get(name="张伟")
    StudyYear.objects.create(person=world.member, year=2025, hours=Decimal("32"))  # 32 of 32: met
    StudyYear.objects.create(person=world.secretary, year=2025, hours=Decimal("32"))  # 32 of 56: half to 3/4
    StudyYear.objects.create(person=zhang, year=2025, hours=Decimal("7.9"))  # under a quarter of 32
    with django_assert_max_num_queries(1):
        section = hours_section(world.cs_branch, date(2025, 1, 1), date(2025, 12, 31), date(2026, 11, 30))
    assert section is not None
    counts = {str(label): n for label, n, _pct in section["bands"]}
    assert counts == {
        "0 学时": 0,
        "不足 1/4": 1,
        "1/4 至 1/2": 0,
        "1/2 至 3/4": 1,
        "3/4 至达标": 0,
        "已达标": 1,
    }
    assert section["total"] == 3 and (section["target"], section["cadre_target"]) == (32, 56)


def test_an_organization_without_members_has_no_section(world) -> None:
    assert hours_section(world.cs_group, date(2025, 1, 1), date(2025, 12, 31), date(2026, 11, 30)) is None
