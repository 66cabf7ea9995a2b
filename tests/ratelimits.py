"""Helpers for the rate-limit tests: set a low limit, and a moment to travel from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

# The start of a minute and of an hour, so that a few requests all fall in one fixed window.
WINDOW_START = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
LATER = WINDOW_START + timedelta(hours=1, seconds=1)  # every window of a minute or an hour has passed


def set_limit(settings: Any, name: str, **parts: str | None) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, name: parts}


def assert_rate_limited_page(response: Any) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "操作太频繁，请" in response.content.decode() and "秒后再试" in response.content.decode()


def assert_rate_limited_json(response: Any) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    body = response.json()
    assert body["code"] == "rate_limited" and body["message"].startswith("操作太频繁，请")
