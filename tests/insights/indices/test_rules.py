"""How an index scores: each component linear between its 0 and full values, the weighted mean of what
was measured, no score below half the weight, the levels; and the definitions people may not save."""

from __future__ import annotations

import pytest

from dangjian.insights.indices.rules import Component, check_definition, level, score
from dangjian.kit.errors import RuleViolation

UP = Component("a", 0.5, 0.5, 1.0)  # 0 points at 50 %, 100 at 100 %
DOWN = Component("b", 0.5, 4, 0)  # lower is better: 0 points at 4 problems, 100 at none


@pytest.mark.parametrize(
    ("component", "value", "points"),
    [
        (UP, 0.2, 0),
        (UP, 0.5, 0),
        (UP, 0.75, 50),
        (UP, 1.0, 100),
        (UP, 1.2, 100),
        (DOWN, 0, 100),
        (DOWN, 1, 75),
        (DOWN, 4, 0),
        (DOWN, 9, 0),
    ],
)
def test_a_component_scales_its_value_between_zero_and_full(component, value, points) -> None:
    assert component.scale(value) == points


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"a": 1.0, "b": 0}, 100),
        ({"a": 0.75, "b": 2}, 50),
        ({"a": 1.0, "b": 4}, 50),
        ({"a": 0.75}, 50),  # b not measured: a carries the whole weight
        ({"a": None, "b": 1}, 75),
        ({}, None),
    ],
)
def test_the_index_is_the_weighted_mean_of_what_was_measured(values, expected) -> None:
    assert score(values, [UP, DOWN]) == expected


def test_below_half_the_weight_measured_there_is_no_score() -> None:
    small = Component("c", 0.4, 0, 1)
    big = Component("d", 0.6, 0, 1)
    assert score({"c": 1}, [small, big]) is None
    assert score({"d": 1}, [small, big]) == 100


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), (59.9, "poor"), (60, "fair"), (79.9, "fair"), (80, "good"), (100, "good")],
)
def test_levels_start_at_their_lines(value, expected) -> None:
    assert level(value, 80, 60) == expected


@pytest.mark.parametrize(
    ("components", "good", "fair", "message"),
    [
        ([], 80, 60, "至少要有一项指标"),
        ([Component("x", 1, 0, 1)], 80, 60, "没有编码为“x”的指标"),
        ([Component("a", 0.5, 0, 1), Component("a", 0.5, 0, 1)], 80, 60, "重复"),
        ([Component("a", 0.6, 0, 1), Component("b", 0.3, 0, 1)], 80, 60, "权重之和必须为 1"),
        ([Component("a", 1.2, 0, 1), Component("b", -0.2, 0, 1)], 80, 60, "必须大于 0"),
        ([Component("a", 1, 1, 1)], 80, 60, "不能相同"),
        ([Component("a", 1, 0, 1)], 60, 80, "关注线 < 良好线"),
        ([Component("a", 1, 0, 1)], 120, 60, "关注线 < 良好线"),
    ],
)
def test_definitions_people_could_not_mean_are_refused(components, good, fair, message) -> None:
    with pytest.raises(RuleViolation, match=message):
        check_definition(components, good, fair, known={"a", "b"})


def test_weights_summing_to_one_with_rounding_pass() -> None:
    thirds = [Component(c, 0.333, 0, 1) for c in "ab"] + [Component("c", 0.334, 0, 1)]
    check_definition(thirds, 80, 60, known={"a", "b", "c"})
