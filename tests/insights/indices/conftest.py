"""Indicators made up for the tests: the engine is tested on readings it is given, whatever the modules
contribute."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from dangjian import hooks
from dangjian.hooks import Indicator, Reading

READINGS: dict[str, dict[int, Reading]] = {}


def _readings(code: str):
    def read(start: date, end: date) -> dict[int, Reading]:
        return READINGS.get(code, {})

    return read


FAKES = (
    Indicator("test.ratio", "测试比率", "测试", _readings("test.ratio")),
    Indicator("test.count", "测试人数", "测试", _readings("test.count"), unit="count", rollup="sum"),
    Indicator("test.score", "测试评分", "测试", _readings("test.score"), unit="score", rollup="mean"),
)


@pytest.fixture
def fake_indicators() -> Iterator[dict[str, dict[int, Reading]]]:
    """Only the fake indicators are registered for the test; their readings are the dict it fills."""
    READINGS.clear()
    with hooks.indicators.only(*FAKES):
        yield READINGS
