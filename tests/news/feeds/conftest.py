"""智能整理 fixtures: the feed file root in a temporary folder with the demo's two feeds, a fake
opener that answers like urllib without any network, and a fake network (name lookups and connections)
under the real opener."""

from __future__ import annotations

import io
import shutil
import socket
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


class FakeSocket:
    """A connected socket that answers one HTTP response and remembers what was sent."""

    def __init__(self, response: bytes):
        self.response = response
        self.sent = b""

    def sendall(self, data: bytes) -> None:
        self.sent += data

    def makefile(self, mode: str, *args: Any, **kwargs: Any) -> io.BytesIO:
        return io.BytesIO(self.response)

    def setsockopt(self, *args: Any) -> None:
        pass

    def settimeout(self, timeout: Any) -> None:
        pass

    def close(self) -> None:
        pass


class FakeNetwork:
    """``socket.getaddrinfo`` from ``dns`` (a literal answers itself) and ``socket.create_connection``
    answering from ``pages`` by the address connected to — the real opener runs, the network does not."""

    def __init__(self) -> None:
        self.dns: dict[str, list[str]] = {}
        self.pages: dict[str, bytes] = {}
        self.lookups: list[str] = []
        self.connected: list[tuple[str, int]] = []
        self.sockets: list[FakeSocket] = []

    def getaddrinfo(self, host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        self.lookups.append(host)
        out = []
        for address in self.dns.get(host, [host.strip("[]")]):
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr = (address, port, 0, 0) if family == socket.AF_INET6 else (address, port)
            out.append((family, socket.SOCK_STREAM, 6, "", sockaddr))
        return out

    def create_connection(self, address: tuple[str, int], *args: Any, **kwargs: Any) -> FakeSocket:
        self.connected.append(address)
        if address[0] not in self.pages:
            raise ConnectionRefusedError("refused")
        sock = FakeSocket(self.pages[address[0]])
        self.sockets.append(sock)
        return sock


def http_response(
    body: bytes = b"", *, status: str = "200 OK", headers: dict[str, str] | None = None
) -> bytes:
    lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@pytest.fixture
def network(monkeypatch) -> FakeNetwork:
    net = FakeNetwork()
    monkeypatch.setattr(socket, "getaddrinfo", net.getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", net.create_connection)
    return net
