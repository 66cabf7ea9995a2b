"""Browser tests: headless Debian Chromium driven by Playwright (never a downloaded browser).

Skipped where Chromium is not installed (``.ci/run`` installs it, so CI always runs them). Database
fixtures come before ``browser`` in each signature: Playwright's sync API runs an event loop in this
thread, and ORM calls made while it runs get their own connection, which would outlive the test database.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.browsing import ARGS, CHROMIUM


@pytest.fixture
def browser(monkeypatch, transactional_db, live_server) -> Iterator[Any]:  # torn down before the flush
    if not CHROMIUM:
        pytest.skip(
            "Chromium is not installed (apt-get install chromium; .ci/run installs it): browser tests skipped"
        )
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # playwright's sync API runs an event loop here
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
