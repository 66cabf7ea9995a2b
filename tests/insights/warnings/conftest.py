"""Fixtures of the 预警 centre: a fake warning source whose findings a test sets, and alerts made
directly (the centre's pages do not care which module found them)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from dangjian import hooks
from dangjian.hooks import Finding, WarningSource
from dangjian.insights.models import Alert, AlertStatus

TODAY = date(2026, 11, 20)


class FakeSource:
    """What a module would find: ``cases`` is the list of findings the next run gets."""

    def __init__(self, code: str = "test.fake", label: str = "测试预警") -> None:
        self.cases: list[Finding] = []
        self.calls = 0
        self.source = WarningSource(
            code, label, count=lambda scope: 0, url_name="insights:warnings", findings=self._findings
        )

    def _findings(self, today: date) -> list[Finding]:
        self.calls += 1
        return list(self.cases)


@pytest.fixture
def fake() -> Iterator[FakeSource]:
    source = FakeSource()
    # Only the fake: the modules' real sources would find cases in the test's world too.
    with hooks.warnings.only(source.source):
        yield source


def finding(org: Any, key: str, **kw: Any) -> Finding:
    values: dict[str, Any] = {"summary": f"情况 {key}", "rule": "《中国共产党支部工作条例（试行）》"}
    values.update(kw)
    return Finding(key=key, organization_id=org.pk, **values)


def make_alert(org: Any, key: str = "k", *, source: str = "test.fake", **kw: Any) -> Alert:
    values: dict[str, Any] = {
        "summary": f"情况 {key}",
        "rule": "依据",
        "level": "warning",
        "status": AlertStatus.OPEN,
        "raised_on": TODAY,
        "last_seen_on": TODAY,
    }
    values.update(kw)
    return Alert.objects.create(source=source, key=key, organization=org, **values)
