"""组织生活's section of the 体检报告: the compliance matrix of the period's months, judged as on the 统计
page, the branches with most months short first, and its totals — a fixed number of queries."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.orglife.compliance import stats
from dangjian.orglife.report_section import compliance_section

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 29)


def test_the_quarter_shows_its_three_months_and_the_branches_short_first(
    world, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(4):
        section = compliance_section(world.cs, date(2026, 10, 1), date(2026, 12, 31), TODAY)
    assert section is not None
    assert section["months"] == [10, 11, 12]
    assert section["branches"] == 2
    october = {branch.pk: cells[0].state for branch, cells, _red in section["rows"]}
    # The same judgement as the 统计 page's cell (the branch lacks its 党小组会 and 主题党日 in October).
    assert october[world.cs_branch.pk] == stats.branch_month(world.cs_branch, date(2026, 10, 1), TODAY).state
    reds = [red for _b, _c, red in section["rows"]]
    assert reds == sorted(reds, reverse=True)
    assert section["totals"]["red"] == sum(reds)


def test_a_year_shows_twelve_months_and_a_branch_its_own_row(world) -> None:
    section = compliance_section(world.cs_branch, date(2026, 1, 1), date(2026, 12, 31), TODAY)
    assert section is not None
    assert section["months"] == list(range(1, 13)) and section["branches"] == 1


def test_an_organization_without_branches_has_no_section(world) -> None:
    assert compliance_section(world.cs_group, date(2026, 1, 1), date(2026, 12, 31), TODAY) is None
