"""The rule for one cell of the compliance matrix (pure): which month is green, yellow, red or grey at the
boundaries of DOMAIN.md §2 (支部条例 第十八条) with the policy's frequencies."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.orglife.compliance.stats import GREEN, GREY, RED, YELLOW, judge_cell
from dangjian.policy import get_policy

ALL = {"assembly", "committee", "group", "lecture", "theme_day", "life_meeting", "evaluation"}
NO_COMMITTEE = ALL - {"committee"}
NO_COMMITTEE_NO_GROUPS = ALL - {"committee", "group"}


def monthly(*months: int, kinds: tuple[str, ...] = ("committee", "group", "theme_day")) -> dict:
    return {(k, m): 1 for m in months for k in kinds}


QUARTER_1 = {("assembly", 1): 1, ("lecture", 2): 1}  # both quarterly forms held early in Q1
YEARLY = {("life_meeting", 6): 1, ("evaluation", 12): 1}


@pytest.mark.parametrize(
    ("label", "month", "today", "required", "held", "state", "short"),
    [
        # A month without 支委会 for a branch with a committee: yellow while running, red once over.
        (
            "running, no committee yet",
            5,
            date(2026, 5, 15),
            ALL,
            monthly(5, kinds=("group", "theme_day")),
            YELLOW,
            ("committee",),
        ),
        (
            "last day still running",
            5,
            date(2026, 5, 31),
            ALL,
            monthly(5, kinds=("group", "theme_day")),
            YELLOW,
            ("committee",),
        ),
        (
            "first day after: red",
            5,
            date(2026, 6, 1),
            ALL,
            monthly(5, kinds=("group", "theme_day")),
            RED,
            ("committee",),
        ),
        ("all monthly forms held", 5, date(2026, 6, 1), ALL, monthly(5), GREEN, ()),
        (
            "a meeting of another month does not count",
            5,
            date(2026, 6, 1),
            ALL,
            monthly(4, 6),
            RED,
            ("committee", "group", "theme_day"),
        ),
        # Branches without a committee / without 党小组 are not required to hold them.
        (
            "no committee: not required",
            5,
            date(2026, 6, 1),
            NO_COMMITTEE,
            monthly(5, kinds=("group", "theme_day")),
            GREEN,
            (),
        ),
        (
            "no committee, no groups",
            5,
            date(2026, 6, 1),
            NO_COMMITTEE_NO_GROUPS,
            monthly(5, kinds=("theme_day",)),
            GREEN,
            (),
        ),
        (
            "no groups but group form missing is fine, theme day is not",
            5,
            date(2026, 6, 1),
            NO_COMMITTEE_NO_GROUPS,
            {},
            RED,
            ("theme_day",),
        ),
        # Quarterly forms are judged in the quarter's last month, over the whole quarter.
        ("quarter's first month: assembly not judged", 1, date(2026, 2, 1), ALL, monthly(1), GREEN, ()),
        ("quarter's middle month: not judged", 2, date(2026, 3, 1), ALL, monthly(2), GREEN, ()),
        (
            "quarter's last month running: yellow",
            3,
            date(2026, 3, 20),
            ALL,
            monthly(3),
            YELLOW,
            ("assembly", "lecture"),
        ),
        (
            "quarter over without assembly: red",
            3,
            date(2026, 4, 1),
            ALL,
            monthly(3),
            RED,
            ("assembly", "lecture"),
        ),
        (
            "held earlier in the quarter counts",
            3,
            date(2026, 4, 1),
            ALL,
            {**monthly(3), **QUARTER_1},
            GREEN,
            (),
        ),
        (
            "held in the previous quarter does not",
            4 + 2,
            date(2026, 7, 1),
            ALL,
            {**monthly(6), **QUARTER_1},
            RED,
            ("assembly", "lecture"),
        ),
        # Yearly forms in December.
        (
            "december over without yearly forms",
            12,
            date(2027, 1, 1),
            ALL,
            {**monthly(12), ("assembly", 12): 1, ("lecture", 11): 1},
            RED,
            ("life_meeting", "evaluation"),
        ),
        (
            "yearly forms held in the year",
            12,
            date(2027, 1, 1),
            ALL,
            {**monthly(12), ("assembly", 12): 1, ("lecture", 11): 1, **YEARLY},
            GREEN,
            (),
        ),
        (
            "june does not judge the year",
            6,
            date(2026, 7, 1),
            ALL,
            {**monthly(6), ("assembly", 4): 1, ("lecture", 5): 1},
            GREEN,
            (),
        ),
        # Months not begun are grey.
        ("next month", 7, date(2026, 6, 30), ALL, {}, GREY, ()),
        (
            "this month on its first day is judged",
            7,
            date(2026, 7, 1),
            ALL,
            {},
            YELLOW,
            ("committee", "group", "theme_day"),
        ),
    ],
)
def test_cell_state_at_the_boundaries(label, month, today, required, held, state, short) -> None:
    cell = judge_cell(
        month=date(2026, month, 1),
        today=today,
        frequencies=get_policy().orglife_frequencies,
        required=required,
        held=held,
    )
    assert cell.state == state, label
    assert set(cell.missing or cell.due) == set(short), label
    assert cell.held == sum(n for (_k, m), n in held.items() if m == month)


@pytest.mark.parametrize(
    ("established", "state"),
    [
        (date(2026, 6, 1), GREY),
        (date(2026, 5, 2), GREY),
        (date(2026, 5, 1), RED),
        (date(2020, 1, 1), RED),
        (None, RED),
    ],
)
def test_months_the_branch_did_not_exist_on_the_first_day_of_are_grey(established, state) -> None:
    cell = judge_cell(
        month=date(2026, 5, 1),
        today=date(2026, 7, 1),
        frequencies=get_policy().orglife_frequencies,
        required=ALL,
        held={},
        exists_from=established,
    )
    assert cell.state == state


def test_the_frequencies_follow_the_policy(settings) -> None:
    settings.DANGJIAN_POLICY = {"orglife_frequencies": [["theme_day", "month", 2]]}
    cell = judge_cell(
        month=date(2026, 5, 1),
        today=date(2026, 6, 1),
        frequencies=get_policy().orglife_frequencies,
        required=ALL,
        held={("theme_day", 5): 1},
    )
    assert cell.state == RED
    assert cell.missing == ("theme_day",)
