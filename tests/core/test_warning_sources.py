"""The org tree's warning sources: 换届 (notice 6 and 3 months before, a warning when overdue, serious
beyond a year), the branch committee and secretary, branch size — boundary tables over the counter
rows, one query whatever the number of organizations, keys stable across runs."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian import hooks
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgCounts
from dangjian.core.warning_sources import (
    BRANCH_SIZE,
    COMMITTEE,
    TERM,
    committee_count,
    committee_findings,
    size_count,
    size_findings,
    term_count,
    term_findings,
)
from tests import factories as f

TODAY = date(2026, 11, 20)


def _of(findings, org) -> dict[str, object]:
    return {
        x.key.rsplit(":", 1)[-1] if "term" not in x.key else "term": x
        for x in findings
        if x.organization_id == org.pk
    }


@pytest.mark.parametrize(
    ("today", "level", "threshold"),
    [
        (date(2027, 2, 28), None, None),  # the branch's term (2024-09-01, 3 years) ends 2027-09-01
        (date(2027, 3, 1), "notice", "6m"),
        (date(2027, 5, 31), "notice", "6m"),
        (date(2027, 6, 1), "notice", "3m"),
        (date(2027, 8, 31), "notice", "3m"),
        (date(2027, 9, 1), "warning", "overdue"),
        (date(2028, 8, 31), "warning", "overdue"),
        (date(2028, 9, 1), "serious", "overdue"),  # an extension is at most a year
    ],
)
def test_a_term_is_noticed_six_and_three_months_ahead_and_warned_when_overdue(
    world, today, level, threshold
) -> None:
    found = {x.organization_id: x for x in term_findings(today)}.get(world.cs_branch.pk)
    if level is None:
        assert found is None
        return
    assert found is not None
    assert (found.level, found.detail["threshold"]) == (level, threshold)
    assert found.key == f"org:{world.cs_branch.pk}:term:2024-09-01"
    assert "2027-09-01" in found.summary and "计算机学院教工第一党支部" in found.summary
    assert found.rule.startswith("基层选举条例 第七条")
    assert found.url == f"/orgs/{world.cs_branch.pk}/"


def test_a_committees_term_is_five_years_and_a_set_term_length_wins(world) -> None:
    # The school committee: 2023-01-10 + 5 years = 2028-01-10.
    assert world.school.pk not in {x.organization_id for x in term_findings(date(2027, 7, 9))}
    assert world.school.pk in {x.organization_id for x in term_findings(date(2027, 7, 10))}
    Organization.objects.filter(pk=world.cs_branch.pk).update(term_years=5)
    assert world.cs_branch.pk not in {x.organization_id for x in term_findings(date(2027, 9, 1))}


def test_no_term_start_and_inactive_orgs_are_not_judged(world) -> None:
    Organization.objects.filter(pk=world.cs_branch.pk).update(term_started_on=None)
    Organization.objects.filter(pk=world.fl_branch.pk).update(is_active=False)
    ids = {x.organization_id for x in term_findings(date(2030, 1, 1))}
    assert world.cs_branch.pk not in ids and world.fl_branch.pk not in ids and world.cs_branch2.pk in ids
    assert term_count(Scope.system(), date(2030, 1, 1)) == len(ids)


def _counts(org, **values) -> None:
    OrgCounts.objects.filter(organization=org).update(**values)


@pytest.mark.parametrize(
    ("full", "committee", "warned"),
    [(6, 0, False), (7, 2, True), (7, 3, False), (12, 1, True)],
)
def test_seven_full_members_need_a_committee_of_three(world, full, committee, warned) -> None:
    _counts(world.cs_branch, members_full=full, members=full, committee_size=committee, has_secretary=True)
    found = _of(committee_findings(TODAY), world.cs_branch)
    assert ("committee" in found) == warned
    if warned:
        x = found["committee"]
        assert (x.key, x.level) == (f"org:{world.cs_branch.pk}:committee", "warning")
        assert f"有正式党员 {full} 名，应设立 3 至 5 人的支部委员会，现有委员 {committee} 名" in x.summary
        assert x.rule.startswith("支部条例 第八条")


def test_any_branch_without_a_secretary_is_warned(world) -> None:
    found = {x.key for x in committee_findings(TODAY)}
    assert f"org:{world.cs_branch.pk}:secretary" not in found  # 王建国 is its secretary
    assert {f"org:{world.cs_branch2.pk}:secretary", f"org:{world.fl_branch.pk}:secretary"} <= found
    assert f"org:{world.cs.pk}:secretary" not in found  # branches only
    assert committee_count(Scope.system(), TODAY) == len(found)


@pytest.mark.parametrize(
    ("full", "members", "case", "level"),
    [
        (2, 2, "too_small", "serious"),
        (3, 3, None, None),
        (40, 50, None, None),
        (40, 51, "too_large", "warning"),
    ],
)
def test_a_branch_has_at_least_three_full_members_and_at_most_fifty(
    world, full, members, case, level
) -> None:
    _counts(world.cs_branch, members_full=full, members=members)
    found = _of(size_findings(TODAY), world.cs_branch)
    assert set(found) == ({case} if case else set())
    if case:
        assert found[case].level == level
        assert found[case].rule.startswith("支部条例 第五条")


def test_the_counters_the_sources_read_follow_the_members(world) -> None:
    # 本科生党支部 has nobody yet: too small; three full members make it a branch.
    assert world.cs_branch2.pk in {x.organization_id for x in size_findings(TODAY)}
    for name in ("甲", "乙", "丙"):
        f.member(world.cs_branch2, name)
    assert world.cs_branch2.pk not in {x.organization_id for x in size_findings(TODAY)}
    assert size_count(Scope.system(), TODAY) == 0


@pytest.mark.parametrize("cases", [3, 30])
def test_each_source_takes_one_query(world, cases, django_assert_max_num_queries) -> None:
    for i in range(cases - 3):  # the world has three branches, without 3 full members: too small
        f.org(world.cs, "branch", f"支部{i}", term_started_on=date(2023, 9, 1))
    for source in (term_findings, committee_findings, size_findings):
        with django_assert_max_num_queries(1):
            found = list(source(date(2026, 11, 20)))
        assert [x.key for x in source(date(2026, 11, 20))] == [x.key for x in found]
    assert len([x for x in size_findings(TODAY) if x.key.endswith("too_small")]) == cases - 2


def test_the_sources_are_registered() -> None:
    for code, findings in (
        (TERM, term_findings),
        (COMMITTEE, committee_findings),
        (BRANCH_SIZE, size_findings),
    ):
        assert hooks.warnings.get(code).findings is findings
