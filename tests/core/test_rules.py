"""Rule checks at the boundaries of DOMAIN.md §1 (支部条例, 基层选举条例)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.core.rules import OrgFacts, check_organization, checks_change_on, kind_may_hold
from dangjian.policy import Policy

TODAY = date(2026, 6, 1)
POLICY = Policy()


def facts(**overrides) -> OrgFacts:
    base = dict(
        kind="branch",
        full_members=5,
        members=5,
        committee_size=1,
        term_started_on=date(2025, 1, 1),
        term_years=3,
        has_secretary=True,
        secretary_full_on=date(2010, 1, 1),
    )
    base.update(overrides)
    return OrgFacts(**base)


def codes(f: OrgFacts, today: date = TODAY) -> set[str]:
    return {c.code for c in check_organization(f, today, POLICY)}


@pytest.mark.parametrize(("full", "flagged"), [(0, True), (2, True), (3, False), (4, False)])
def test_branch_needs_three_full_members(full, flagged) -> None:
    assert ("branch_too_few_full_members" in codes(facts(full_members=full, members=full))) is flagged


def test_too_few_full_members_is_danger_with_its_source() -> None:
    check = next(
        c
        for c in check_organization(facts(full_members=2, members=4), TODAY, POLICY)
        if c.code == "branch_too_few_full_members"
    )
    assert check.severity == "danger"
    assert "支部工作条例" in check.source and "2" in check.message


@pytest.mark.parametrize(
    ("full", "committee", "flagged"),
    [(6, 1, False), (7, 1, True), (7, 0, True), (7, 2, True), (7, 3, False), (12, 5, False)],
)
def test_seven_full_members_need_a_committee(full, committee, flagged) -> None:
    result = codes(facts(full_members=full, members=full, committee_size=committee))
    assert ("branch_needs_committee" in result) is flagged


@pytest.mark.parametrize(("members", "flagged"), [(49, False), (50, False), (51, True), (55, True)])
def test_branch_above_fifty_members_is_flagged(members, flagged) -> None:
    assert ("branch_too_large" in codes(facts(full_members=40, members=members, committee_size=5))) is flagged


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (2, "committee_size_out_of_range"),
        (3, None),
        (5, None),
        (6, "committee_size_above_normal"),
        (7, "committee_size_above_normal"),
        (8, "committee_size_out_of_range"),
    ],
)
def test_committee_size_of_a_party_committee(size, expected) -> None:
    result = codes(facts(kind="committee", full_members=0, members=0, committee_size=size))
    committee_codes = {c for c in result if c.startswith("committee_size")}
    assert committee_codes == ({expected} if expected else set())


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2027, 6, 30), None),  # term 2025-01-01 + 3 years = 2028-01-01; 6 months before is 2027-07-01
        (date(2027, 7, 1), "term_expiring_6m"),
        (date(2027, 9, 30), "term_expiring_6m"),
        (date(2027, 10, 1), "term_expiring_3m"),
        (date(2027, 12, 31), "term_expiring_3m"),
        (date(2028, 1, 1), "term_overdue"),
    ],
)
def test_term_expiry_thresholds(today, expected) -> None:
    result = {c for c in codes(facts(), today) if c.startswith("term_")}
    if expected is None:
        assert result == set()
    else:
        assert result == {expected}


def test_overdue_is_danger_and_expiring_three_months_is_warning() -> None:
    overdue = check_organization(facts(), date(2028, 1, 1), POLICY)
    assert overdue[0].code == "term_overdue" and overdue[0].severity == "danger"
    soon = [c for c in check_organization(facts(), date(2027, 11, 1), POLICY) if c.code.startswith("term")]
    assert soon[0].severity == "warning"


def test_missing_term_date_is_an_info() -> None:
    assert "term_unknown" in codes(facts(term_started_on=None))


@pytest.mark.parametrize(
    ("full_on", "flagged"),
    [(date(2025, 6, 2), True), (date(2025, 6, 1), False), (None, True)],
)
def test_secretary_needs_one_year_of_full_standing(full_on, flagged) -> None:
    assert ("secretary_standing_short" in codes(facts(secretary_full_on=full_on))) is flagged


def test_no_secretary_is_flagged() -> None:
    assert "no_secretary" in codes(facts(has_secretary=False, secretary_full_on=None))


def test_party_groups_are_not_checked() -> None:
    assert (
        codes(facts(kind="group", full_members=1, members=1, term_started_on=None, has_secretary=False))
        == set()
    )


def test_checks_are_sorted_worst_first() -> None:
    result = check_organization(
        facts(full_members=1, members=60, has_secretary=False), date(2029, 1, 1), POLICY
    )
    order = {"danger": 0, "warning": 1, "info": 2}
    assert [order[c.severity] for c in result] == sorted(order[c.severity] for c in result)


@pytest.mark.parametrize(
    ("parent", "child", "allowed"),
    [
        (None, "committee", True),
        (None, "branch", False),
        ("committee", "committee", True),
        ("committee", "general_branch", True),
        ("committee", "branch", True),
        ("committee", "group", False),
        ("general_branch", "branch", True),
        ("general_branch", "committee", False),
        ("branch", "group", True),
        ("branch", "branch", False),
        ("group", "group", False),
    ],
)
def test_which_kind_may_hold_which(parent, child, allowed) -> None:
    assert kind_may_hold(parent, child) is allowed


def test_policy_override_moves_the_threshold() -> None:
    strict = Policy(branch_max_members=45)
    result = {
        c.code
        for c in check_organization(facts(full_members=40, members=46, committee_size=5), TODAY, strict)
    }
    assert "branch_too_large" in result


@given(
    kind=st.sampled_from(["committee", "general_branch", "branch", "group"]),
    term_started_on=st.none() | st.dates(date(2015, 1, 1), date(2027, 12, 31)),
    term_years=st.sampled_from([3, 5]),
    has_secretary=st.booleans(),
    secretary_full_on=st.none() | st.dates(date(2020, 1, 1), date(2027, 12, 31)),
    today=st.dates(date(2024, 1, 1), date(2028, 12, 31)),
)
def test_the_checks_stay_the_same_until_the_day_they_may_change(
    kind, term_started_on, term_years, has_secretary, secretary_full_on, today
) -> None:
    # The counter table stores an org's checks until checks_change_on: nothing may change before it.
    f = facts(
        kind=kind,
        term_started_on=term_started_on,
        term_years=term_years,
        has_secretary=has_secretary,
        secretary_full_on=secretary_full_on if has_secretary else None,
    )
    change = checks_change_on(f, today, POLICY)
    assert change is None or change > today
    last = (change - timedelta(days=1)) if change else today + timedelta(days=3 * 366)
    now = [(c.code, c.severity) for c in check_organization(f, today, POLICY)]
    for day in (today + timedelta(days=1), last - timedelta(days=1), last):
        if today <= day <= last:
            assert [(c.code, c.severity) for c in check_organization(f, day, POLICY)] == now, day
