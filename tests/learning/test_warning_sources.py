"""学时落后于年度进度 as a warning source: ONE notice per branch with the number of its members behind
the straight line to their yearly target (32, secretaries and committee members 56); a boundary table
on the hours; one query whatever the branches; keys stable across runs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangjian import hooks
from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.core.models import Membership, Organization
from dangjian.learning.ledger.rules import expected_by
from dangjian.learning.models import StudyYear
from dangjian.learning.warning_sources import CODE, behind_count, behind_findings
from tests import factories as f

TODAY = date(2026, 7, 2)  # day 183 of 365: a member should have 16.0 hours, a cadre 28.1


def _hours(person, hours: str) -> None:
    StudyYear.objects.update_or_create(person=person, year=2026, defaults={"hours": Decimal(hours)})


@pytest.fixture
def on_pace(world) -> None:
    for m in Membership.objects.select_related("person"):
        _hours(m.person, "40")


def _found() -> dict[int, object]:
    return {x.organization_id: x for x in behind_findings(TODAY)}


def test_the_pace_of_the_table_is_the_ledgers() -> None:
    assert (expected_by(32, TODAY), expected_by(56, TODAY)) == (Decimal("16.0"), Decimal("28.1"))


@pytest.mark.parametrize(
    ("member", "secretary", "behind"),
    [
        ("16.0", "28.1", 0),
        ("15.9", "28.1", 1),
        ("16.0", "28.0", 1),  # the secretary's target is 56
        ("0", "20", 2),
        ("32", "56", 0),
    ],
)
def test_one_notice_per_branch_counts_its_members_behind(world, on_pace, member, secretary, behind) -> None:
    _hours(world.member, member)
    _hours(world.secretary, secretary)
    found = _found()
    assert set(found) == ({world.cs_branch.pk} if behind else set())
    if behind:
        x = found[world.cs_branch.pk]
        assert (x.key, x.level, x.detail["behind"]) == (
            f"org:{world.cs_branch.pk}:study:2026",
            "notice",
            behind,
        )
        assert (
            f"计算机学院教工第一党支部 {behind} 名党员学时落后于年度进度（截至 2026-07-02 应达 16.0 学时）"
            == x.summary
        )
        assert "32 学时" in x.rule
        assert x.url == f"/learning/hours/{world.cs_branch.pk}/?year=2026&show=behind&list=1"


def test_members_without_a_ledger_are_behind_and_inactive_branches_are_left_out(world) -> None:
    Organization.objects.filter(pk=world.fl_branch.pk).update(is_active=False)
    found = _found()
    assert set(found) == {world.cs_branch.pk}
    assert found[world.cs_branch.pk].detail["behind"] == 3


def test_the_count_is_the_branches_in_the_scope(world, college_organizer) -> None:
    assert behind_count(Scope.system(), TODAY) == 2
    assert behind_count(resolve_scope(college_organizer), TODAY) == 1


@pytest.mark.parametrize("cases", [3, 30])
def test_findings_take_one_query(world, on_pace, cases, django_assert_max_num_queries) -> None:
    for i in range(cases):
        branch = f.org(world.cs, "branch", f"支部{i}")
        f.member(branch, f"成员{i}")
    with django_assert_max_num_queries(1):
        found = list(behind_findings(TODAY))
    assert len(found) == cases
    assert [x.key for x in behind_findings(TODAY)] == [x.key for x in found]


def test_the_source_is_registered_with_findings() -> None:
    source = hooks.warnings.get(CODE)
    assert source.findings is behind_findings and source.severity == "notice"
