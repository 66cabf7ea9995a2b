"""The rules of 述职评议考核 as boundary tables: the grade a total earns under the default bands
(policy ``assessment_grade_bands`` = 90/80/60 [local practice]), the total's weighting, the indicator
score, the scheme's checks and a reviewer's scores."""

from __future__ import annotations

import pytest

from dangjian.insights.assessment import rules
from dangjian.kit.errors import RuleViolation
from dangjian.policy import get_policy

BANDS = (90.0, 80.0, 60.0)


def test_the_defaults_are_the_policy_settings() -> None:
    policy = get_policy()
    assert policy.assessment_grade_bands == (90, 80, 60)  # [local practice] DOMAIN §10
    assert policy.assessment_indicator_weight == 0.4


def test_a_school_sets_its_own_bands(settings) -> None:
    settings.DANGJIAN_POLICY = {"assessment_grade_bands": [95, 85, 70], "assessment_indicator_weight": 0.5}
    assert get_policy().assessment_grade_bands == (95, 85, 70)
    assert get_policy().assessment_indicator_weight == 0.5


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (100, "good"),
        (90, "good"),
        (89.9, "fairly_good"),
        (80, "fairly_good"),
        (79.9, "average"),
        (60, "average"),
        (59.9, "poor"),
        (0, "poor"),
        (None, ""),
    ],
)
def test_a_total_earns_the_band_it_reaches(total, grade) -> None:
    assert rules.grade_for(total, BANDS) == grade


@pytest.mark.parametrize(
    ("indicator", "review", "weight", "total"),
    [
        (80, 90, 0.4, 86.0),  # 0.4 × 80 + 0.6 × 90
        (80, 90, 0, 90.0),
        (80, 90, 1, 80.0),
        (None, 88.5, 0.4, 88.5),  # no indices for the year: the reviewers' mean alone
        (80, None, 0.4, None),  # nobody scored: no total
        (None, None, 0.4, None),
        (70.25, 90.05, 0.5, 80.2),  # rounded to one decimal
    ],
)
def test_the_total_weighs_the_indicator_and_the_review(indicator, review, weight, total) -> None:
    assert rules.total(indicator, review, weight) == total


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ({"basic": 90, "cohesion": 80, "attraction": 70}, 80.0),
        ({"basic": 90, "cohesion": 80, "attraction": None}, 85.0),  # only the measured
        ({"basic": None}, None),
        ({}, None),
        ({"basic": 66.66, "cohesion": 66.67}, 66.7),
    ],
)
def test_the_indicator_score_is_the_mean_of_the_measured_indices(scores, expected) -> None:
    assert rules.indicator_score(scores) == expected


@pytest.mark.parametrize(
    ("weight", "bands", "message"),
    [
        (-0.1, BANDS, "0 到 1"),
        (1.01, BANDS, "0 到 1"),
        (0.4, (80.0, 90.0, 60.0), "从高到低"),
        (0.4, (90.0, 80.0, 80.0), "从高到低"),
        (0.4, (101.0, 80.0, 60.0), "0 到 100"),
        (0.4, (90.0, 80.0, -1.0), "0 到 100"),
    ],
)
def test_a_scheme_out_of_order_is_refused_in_chinese(weight, bands, message) -> None:
    with pytest.raises(RuleViolation, match=message):
        rules.check_scheme(weight, bands)


def test_a_scheme_in_order_passes() -> None:
    rules.check_scheme(0, (100, 99.5, 0))
    rules.check_scheme(1, BANDS)


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ({3: 101}, "out_of_range"),
        ({3: -0.5}, "out_of_range"),
        ({99: 80}, "not_target"),
        ({}, "empty"),
    ],
)
def test_a_reviewers_bad_scores_are_refused(given, code) -> None:
    with pytest.raises(RuleViolation) as caught:
        rules.check_review_scores([3, 4], given)
    assert caught.value.code == code


def test_scores_at_the_edges_are_accepted() -> None:
    rules.check_review_scores([3, 4], {3: 0, 4: 100})
