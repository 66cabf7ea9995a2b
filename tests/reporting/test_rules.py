"""The checks of a return's figures: each failure names its cell (boundary table)."""

from __future__ import annotations

import pytest

from dangjian.reporting.rules import check, check_children


def balanced(**changes: int) -> dict[str, int]:
    """A consistent set: 10 members at the year's start, 2 recruited, 1 died, 11 at the end."""
    values = {
        "members_total": 11,
        "members_probationary": 2,
        "members_full": 9,
        "gender_male": 6,
        "gender_female": 5,
        "ethnic_han": 11,
        "edu_bachelor": 11,
        "edu_college_above": 11,
        "age_le30": 11,
        "partyage_probationary": 2,
        "partyage_le5": 9,
        "occ_student": 11,
        "new_total": 2,
        "new_female": 1,
        "new_young": 2,
        "new_edu_bachelor": 2,
        "new_occ_student": 2,
        "opening": 10,
        "inc_recruited": 2,
        "inc_total": 2,
        "dec_deceased": 1,
        "dec_total": 1,
        "closing": 11,
    }
    values.update(changes)
    return values


def test_a_consistent_set_passes() -> None:
    assert check(balanced(), last_closing=10) == []


@pytest.mark.parametrize(
    "changes,cell,code",
    [
        (
            {
                "closing": 12,
                "members_total": 12,
                "members_full": 10,
                "gender_male": 7,
                "ethnic_han": 12,
                "edu_bachelor": 12,
                "edu_college_above": 12,
                "age_le30": 12,
                "partyage_le5": 10,
                "occ_student": 12,
            },
            "closing",
            "balance",
        ),
        ({"gender_male": 5}, "members_total", "sum"),
        ({"members_full": 8}, "members_total", "sum"),
        ({"edu_college_above": 10}, "edu_college_above", "sum"),
        ({"inc_total": 3}, "inc_total", "sum"),
        ({"dec_total": 0}, "dec_total", "sum"),
        ({"new_young": 3}, "new_young", "part"),
        ({"new_female": -1, "new_total": 2}, "new_female", "negative"),
        ({"closing": 10, "dec_deceased": 2, "dec_total": 2}, "closing", "closing_total"),
    ],
)
def test_a_broken_figure_is_named(changes: dict[str, int], cell: str, code: str) -> None:
    failures = check(balanced(**changes), last_closing=10)
    assert (cell, code) in {(f.key, f.code) for f in failures}, failures
    assert all(f.message for f in failures)


@pytest.mark.parametrize("last_closing,fails", [(9, True), (10, False), (11, True), (None, False)])
def test_the_opening_must_equal_last_years_closing(last_closing: int | None, fails: bool) -> None:
    failures = check(balanced(), last_closing=last_closing)
    assert any(f.code == "opening" for f in failures) is fails


@pytest.mark.parametrize("child_b,fails", [(4, True), (5, False), (6, True)])
def test_children_add_up_to_the_parent(child_b: int, fails: bool) -> None:
    parent = {"members_total": 10, "org_committee": 1}
    children = [{"members_total": 5}, {"members_total": child_b}]
    failures = check_children(parent, children, own={"org_committee": 1})
    assert bool(failures) is fails
    assert all(f.key == "members_total" for f in failures)
