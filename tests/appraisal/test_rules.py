"""The pure rules: the 优秀 cap's boundaries, a member's ratings checked whole, the tally."""

from __future__ import annotations

import pytest

from dangjian.appraisal.rules import check_excellent_cap, check_ratings, excellent_cap, tally
from dangjian.kit.errors import RuleViolation


@pytest.mark.parametrize(
    ("participants", "share", "cap"),
    [
        (10, 0.3, 3),
        (9, 0.3, 2),
        (11, 0.3, 3),
        (13, 0.3, 3),
        (14, 0.3, 4),
        (1, 0.3, 0),
        (0, 0.3, 0),
        (70, 0.3, 21),
    ],
)
def test_the_cap_is_the_floor_of_share_times_participants(participants: int, share: float, cap: int) -> None:
    assert excellent_cap(participants, share) == cap


@pytest.mark.parametrize(("excellent", "refused"), [(0, False), (3, False), (4, True), (10, True)])
def test_ten_participants_at_thirty_percent_allow_three(excellent: int, refused: bool) -> None:
    grades = ["excellent"] * excellent + ["qualified"] * (10 - excellent)
    if refused:
        with pytest.raises(RuleViolation, match="最多 3 人") as exc:
            check_excellent_cap(grades, 10, 0.3)
        assert "30%" in exc.value.message and f"有 {excellent} 人" in exc.value.message
    else:
        check_excellent_cap(grades, 10, 0.3)


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ({2: "qualified", 3: "superb"}, "unknown_grade"),
        ({1: "qualified", 2: "qualified", 3: "qualified"}, "self_rating"),
        ({2: "qualified", 3: "qualified", 99: "qualified"}, "not_participant"),
        ({2: "qualified"}, "incomplete"),
        ({}, "incomplete"),
    ],
)
def test_a_set_of_ratings_is_refused_whole(given: dict[int, str], code: str) -> None:
    with pytest.raises(RuleViolation) as exc:
        check_ratings(1, [1, 2, 3], given)
    assert exc.value.code == code


def test_a_complete_set_passes() -> None:
    check_ratings(1, [1, 2, 3], {2: "excellent", 3: "unqualified"})


def test_the_tally_names_every_grade() -> None:
    assert tally(["qualified", "qualified", "basic"]) == {
        "excellent": 0,
        "qualified": 2,
        "basic": 1,
        "unqualified": 0,
    }
