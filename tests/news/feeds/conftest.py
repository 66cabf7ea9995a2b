"""智能整理 fixtures: the feed file root in a temporary folder with the demo's two feeds, and a fake
opener that answers like urllib without any network."""

from __future__ import annotations

import io
import shutil
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

DEMO = Path(__file__).resolve().parents[3] / "dangjian" / "news" / "feeds" / "demo_feeds"

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>t</title>
<item><title>\xe5\x85\x9a\xe5\xbb\xba\xe5\xb7\xa5\xe4\xbd\x9c\xe4\xbc\x9a</title><link>https://a.example.cn/1</link>
<guid>a-1</guid><pubDate>Mon, 23 Nov 2026 09:00:00 +0800</pubDate>
<description>&lt;p&gt;\xe4\xbc\x9a\xe8\xae\xae&lt;b&gt;\xe5\xbc\xba\xe8\xb0\x83&lt;/b&gt;&lt;script&gt;x&lt;/script&gt;&lt;/p&gt;</description></item>
<item><title>Second</title><link>javascript:alert(1)</link></item>
<item><link>https://a.example.cn/3</link></item>
</channel></rss>"""


class FakeResponse:
    def __init__(
        self,
        body: bytes,
        headers: dict[str, str] | None = None,
        chunk_delay: Callable[[], None] | None = None,
    ):
        self._body = io.BytesIO(body)
        self.headers = headers or {}
        self._delay = chunk_delay

    def read(self, n: int = -1) -> bytes:
        if self._delay:
            self._delay()
        return self._body.read(n)

    def close(self) -> None:
        pass


class FakeOpener:
    """Answers each request with ``body`` (or raises ``error``) and remembers the request headers."""

    def __init__(
        self, body: bytes = b"", *, headers: dict[str, str] | None = None, error: Exception | None = None
    ):
        self.body = body
        self.headers = headers or {}
        self.error = error
        self.requests: list[urllib.request.Request] = []

    def __call__(self, request: urllib.request.Request, timeout: float) -> Any:
        self.requests.append(request)
        if self.error is not None:
            raise self.error
        return FakeResponse(self.body, self.headers)


def not_modified() -> urllib.error.HTTPError:
    return urllib.error.HTTPError("https://a.example.cn/feed", 304, "Not Modified", {}, None)  # type: ignore[arg-type]


@pytest.fixture
def feed_root(settings, tmp_path: Path) -> Path:
    for name in ("hongse.xml", "gxdj.xml"):
        shutil.copy(DEMO / name, tmp_path / name)
    settings.NEWS_FEED_FILE_ROOT = str(tmp_path)
    return tmp_path
