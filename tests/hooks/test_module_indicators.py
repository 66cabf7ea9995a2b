"""The indicators the modules contribute to 评价与预警 (issue 16): the codes the index definitions refer to,
each explained in Chinese with its rule, and a page for its data that takes an organization's id."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangjian import hooks

CODES = {
    "core.members": ("count", "mean"),
    "core.committee_complete": ("ratio", "ratio"),
    "core.term_on_time": ("ratio", "ratio"),
    "orglife.attendance_rate": ("ratio", "ratio"),
    "orglife.meetings_held": ("ratio", "ratio"),
    "orglife.minutes_on_time": ("ratio", "ratio"),
    "orglife.secretary_lecture": ("ratio", "ratio"),
    "orglife.supervision_score": ("score", "mean"),
    "orglife.open_problems": ("count", "sum"),
    "dues.paid_on_time": ("ratio", "ratio"),
    "learning.study_pace": ("ratio", "ratio"),
    "learning.training_pass": ("ratio", "ratio"),
    "recruitment.on_time": ("ratio", "ratio"),
    "recruitment.applicant_ratio": ("ratio", "ratio"),
    "recruitment.applicants": ("count", "sum"),
    "recruitment.activists": ("count", "sum"),
    "recruitment.candidates": ("count", "sum"),
    "recruitment.probationary": ("count", "sum"),
}
PERSON_CODES = ("learning.hours", "orglife.attendance", "dues.on_time", "learning.training")


@pytest.mark.parametrize(("code", "kind"), CODES.items())
def test_each_indicator_is_contributed_and_explained(code: str, kind: tuple[str, str]) -> None:
    indicator = hooks.indicators.get(code)
    assert (indicator.unit, indicator.rollup) == kind
    assert indicator.better == ("lower" if code == "orglife.open_problems" else "higher")
    text = str(indicator.description)
    assert "依据" in text and len(text) > 60, code  # how it is computed, and the rule it rests on
    assert str(indicator.label) and str(indicator.source)
    if indicator.url_name:
        assert reverse(indicator.url_name, args=[1])


@pytest.mark.parametrize("code", PERSON_CODES)
def test_each_person_indicator_is_contributed(code: str) -> None:
    assert str(hooks.person_indicators.get(code).label)
