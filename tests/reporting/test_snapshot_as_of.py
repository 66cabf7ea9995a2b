"""The snapshot's figures equal a count of what happened, as of each date: people who moved branch or
college, died, were made full, admitted or transferred in during the year (issue 15)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dangjian.accounts.models import User
from dangjian.accounts.scope import Scope
from dangjian.core import services
from dangjian.core.models import ON_ROLL_STANDINGS, Membership, Organization, OrgKind
from dangjian.reporting import rules
from dangjian.reporting.models import OrgFigures
from dangjian.reporting.services import snapshot_compute
from tests import factories as f

SH = ZoneInfo("Asia/Shanghai")


def travel(y: int, m: int, d: int) -> time_machine.travel:
    return time_machine.travel(datetime(y, m, d, 10, tzinfo=SH), tick=False)


def figures(snapshot, org, *, direct: bool = False) -> dict[str, int]:
    row = OrgFigures.objects.get(snapshot=snapshot, organization=org)
    return row.direct if direct else row.subtree


@pytest.fixture
def year(db):
    """A school with colleges A and B, a year of changes in 2026, and snapshots of 2025 and 2026."""
    with travel(2025, 3, 1):
        school = f.org(None, OrgKind.COMMITTEE, "学校党委", code="S")
        a = f.org(school, OrgKind.COMMITTEE, "A学院党委", code="A")
        b = f.org(school, OrgKind.COMMITTEE, "B学院党委", code="B")
        a1 = f.org(a, OrgKind.BRANCH, "A1支部", code="A1")
        a2 = f.org(a, OrgKind.BRANCH, "A2支部", code="A2")
        b1 = f.org(b, OrgKind.BRANCH, "B1支部", code="B1")
        m1 = f.member(a1, "甲", female=True)
        m2 = f.member(a1, "乙")
        m3 = f.member(a1, "丙")
        dead = f.member(b1, "丁")
    with travel(2025, 6, 15):
        probationer = f.member(a1, "戊", full=False, joined_on=date(2025, 6, 1), birth=date(2003, 1, 1))
    with travel(2026, 2, 10):
        services.membership_move(
            actor=None, membership=m2.membership, to_branch=a2, on=date(2026, 2, 10), reason="调整"
        )
    with travel(2026, 4, 1):
        services.membership_move(
            actor=None, membership=m3.membership, to_branch=b1, on=date(2026, 4, 1), reason="调动"
        )
    with travel(2026, 5, 1):
        services.membership_change_standing(
            actor=None, membership=dead.membership, standing="deceased", since=date(2026, 5, 1), note="病故"
        )
    with travel(2026, 6, 2):
        services.membership_make_full(actor=None, membership=probationer.membership, full_on=date(2026, 6, 1))
    with travel(2026, 7, 1):
        f.member(a2, "己", full=False, joined_on=date(2026, 7, 1), full_on=None, birth=date(2004, 2, 2))
    with travel(2026, 8, 1):
        arrived = f.member(b1, "庚", joined_on=date(2010, 1, 1), full_on=date(2011, 1, 1))
        # Transferred in by an organizer's hand: the first version has a person behind it.
        clerk = User.objects.create_user(username="clerk", password="x")
        arrived.membership.history.update(history_user=clerk)
    with travel(2027, 1, 5):
        last = snapshot_compute(on=date(2025, 12, 31), actor=None, scope=Scope.system())
        this = snapshot_compute(on=date(2026, 12, 31), actor=None, scope=Scope.system())
    return locals()


def test_last_years_closing_counts_who_was_where_then(year) -> None:
    last = year["last"]
    assert figures(last, year["a1"], direct=True)["members_total"] == 4  # 甲 乙 丙 戊
    assert figures(last, year["a1"], direct=True)["members_probationary"] == 1
    assert figures(last, year["b1"], direct=True)["members_total"] == 1  # 丁; 庚 came by work in 2026
    assert figures(last, year["school"])["members_total"] == 5


def test_this_years_closing_and_changes_at_each_branch(year) -> None:
    this = year["this"]
    a1 = figures(this, year["a1"], direct=True)
    assert (a1["opening"], a1["closing"], a1["dec_internal_out"]) == (4, 2, 2)
    assert a1["probation_full"] == 1
    a2 = figures(this, year["a2"], direct=True)
    assert (a2.get("opening", 0), a2["closing"], a2["inc_internal_in"], a2["inc_recruited"]) == (0, 2, 1, 1)
    b1 = figures(this, year["b1"], direct=True)
    assert (
        b1["opening"],
        b1["closing"],
        b1["inc_internal_in"],
        b1["inc_transfer_in"],
        b1["dec_deceased"],
    ) == (
        1,
        2,
        1,
        1,
        1,
    )


def test_the_school_balances_and_passes_every_check(year) -> None:
    school = figures(year["this"], year["school"])
    assert (school["opening"], school["inc_total"], school["dec_total"], school["closing"]) == (5, 4, 3, 6)
    assert school["new_total"] == 1
    assert school["new_young"] == 1
    assert rules.check(school, last_closing=figures(year["last"], year["school"])["closing"]) == []


def test_subtrees_add_up_and_the_closing_equals_a_direct_count(year) -> None:
    this = year["this"]
    for college in (year["a"], year["b"]):
        college.refresh_from_db()
        children = [figures(this, c) for c in Organization.objects.get_children(college)]  # type: ignore[attr-defined]
        assert children
        own = figures(this, college, direct=True)
        assert rules.check_children(figures(this, college), children, own=own) == []
    for branch in (year["a1"], year["a2"], year["b1"]):
        live = Membership.objects.filter(organization=branch, standing__in=ON_ROLL_STANDINGS).count()
        assert figures(this, branch, direct=True)["members_total"] == live


def test_recomputing_a_date_replaces_its_figures(year) -> None:
    with travel(2027, 1, 6):
        again = snapshot_compute(on=date(2026, 12, 31), actor=None, scope=Scope.system())
    assert again.pk == year["this"].pk
    assert OrgFigures.objects.filter(snapshot=again, organization=year["school"]).count() == 1
    assert figures(again, year["school"])["closing"] == 6
