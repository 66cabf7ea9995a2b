"""The core's indicators (issue 16): members per branch, committee complete, 换届 on time."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian import hooks
from dangjian.core import services
from dangjian.core.indicators import committee_readings, members_readings, term_readings
from dangjian.core.models import Organization, OrgKind, PositionTitle
from dangjian.core.rules import committee_complete, term_on_time
from dangjian.policy import get_policy
from tests import factories as f

START, END = date(2026, 1, 1), date(2026, 3, 31)


def _branch(parent: Organization, name: str = "支部", **extra) -> Organization:
    return f.org(parent, OrgKind.BRANCH, name, **extra)


@pytest.fixture
def college(db) -> Organization:
    school = f.org(None, OrgKind.COMMITTEE, "学校党委")
    return f.org(school, OrgKind.COMMITTEE, "学院党委")


@pytest.mark.parametrize(
    ("full", "committee", "secretary", "complete"),
    [
        (0, 0, False, False),
        (3, 1, True, True),  # a small branch: a secretary is enough
        (6, 1, True, True),
        (6, 0, False, False),
        (7, 1, True, False),  # 7 full members: a committee of at least 3
        (7, 2, True, False),
        (7, 3, True, True),
        (7, 3, False, False),  # three committee members but no secretary
        (12, 5, True, True),
    ],
)
def test_committee_complete_follows_article_8(
    full: int, committee: int, secretary: bool, complete: bool
) -> None:
    assert (
        committee_complete(
            full_members=full, committee_size=committee, has_secretary=secretary, policy=get_policy()
        )
        is complete
    )


@pytest.mark.parametrize(
    ("on", "ok"),
    [(date(2026, 8, 31), True), (date(2026, 9, 1), False), (date(2027, 1, 1), False)],
)
def test_term_expires_on_its_anniversary(on: date, ok: bool) -> None:
    assert term_on_time(date(2023, 9, 1), 3, on) is ok


def test_members_count_the_roll_at_the_end_and_every_branch_gets_one(college: Organization) -> None:
    a, b = _branch(college, "甲"), _branch(college, "乙")
    f.member(a, "正式")
    f.member(a, "预备", full=False, joined_on=date(2025, 12, 1))
    f.member(a, "期后入党", full=False, joined_on=date(2026, 4, 1))
    dissolved = _branch(college, "已撤销")
    Organization.objects.filter(pk=dissolved.pk).update(is_active=False)
    later = _branch(college, "期后成立", established_on=date(2026, 4, 1))
    readings = members_readings(START, END)
    assert readings[a.pk].value == 2
    assert readings[b.pk].value == 0  # a real 0: the branch exists and has no member
    assert dissolved.pk not in readings and later.pk not in readings
    assert college.pk not in readings  # branches only


def test_committee_complete_counts_positions_serving_at_the_end(college: Organization) -> None:
    small, big, none = _branch(college, "小"), _branch(college, "大"), _branch(college, "无书记")
    sec = f.member(small, "书记")
    services.position_assign(
        actor=None, person=sec, organization=small, title=PositionTitle.SECRETARY, started_on=date(2025, 1, 1)
    )
    people = [f.member(big, f"党员{i}") for i in range(7)]
    for person, title in zip(people, [PositionTitle.SECRETARY, PositionTitle.ORGANIZATION], strict=False):
        services.position_assign(
            actor=None, person=person, organization=big, title=title, started_on=date(2025, 1, 1)
        )
    # A third committee member only from after the period: not counted at its end.
    services.position_assign(
        actor=None,
        person=people[2],
        organization=big,
        title=PositionTitle.PUBLICITY,
        started_on=date(2026, 4, 1),
    )
    f.member(none, "党员")
    readings = committee_readings(START, END)
    assert (readings[small.pk].value, readings[big.pk].value, readings[none.pk].value) == (1, 0, 0)
    assert readings[big.pk].denominator == 1
    assert committee_readings(date(2026, 4, 1), date(2026, 4, 30))[big.pk].value == 1


def test_term_on_time_only_for_branches_with_a_term_begun_by_the_end(college: Organization) -> None:
    due = _branch(college, "到期", term_started_on=date(2023, 3, 31))
    fresh = _branch(college, "未到期", term_started_on=date(2023, 4, 1))
    five = _branch(college, "五年", term_started_on=date(2022, 1, 1), term_years=5)
    unknown = _branch(college, "未记录")
    after = _branch(college, "期后换届", term_started_on=date(2026, 5, 1))
    readings = term_readings(START, END)
    assert readings[due.pk].value == 0  # expired on 2026-03-31, the end itself
    assert readings[fresh.pk].value == 1
    assert readings[five.pk].value == 1
    assert unknown.pk not in readings and after.pk not in readings


def _branches(college: Organization, n: int) -> None:
    for i in range(n):
        b = _branch(college, f"支部{i}", term_started_on=date(2024, 1, 1))
        p = f.member(b, f"书记{i}")
        services.position_assign(
            actor=None, person=p, organization=b, title=PositionTitle.SECRETARY, started_on=date(2024, 1, 1)
        )


@pytest.mark.parametrize("code", ["core.members", "core.committee_complete", "core.term_on_time"])
def test_readings_cost_the_same_queries_for_2_and_20_branches(
    college: Organization, code: str, django_assert_max_num_queries, django_assert_num_queries
) -> None:
    indicator = hooks.indicators.get(code)
    _branches(college, 2)
    with django_assert_max_num_queries(3) as two:
        assert len(indicator.readings(START, END)) == 2
    _branches(college, 18)
    with django_assert_num_queries(len(two.captured_queries)):
        assert len(indicator.readings(START, END)) == 20
