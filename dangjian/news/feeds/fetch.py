"""Fetching and reading one feed: RSS 2.0 or Atom over http(s) — a timeout, a size limit read in chunks,
a conditional GET (If-None-Match / If-Modified-Since; 304 is "nothing new") — or a ``file:`` under
``settings.NEWS_FEED_FILE_ROOT`` (the demo and the tests; its modification time stands in for
Last-Modified). Whatever goes wrong is a ``FeedError`` with a Chinese message for the fetch log; the
caller then stores nothing.

Only public addresses are fetched (no server-side request forgery into the campus network): every
connection — the first and the one after each redirect — resolves the host, refuses it if any address is
loopback, private, link-local, multicast, reserved or unspecified (IPv4 and IPv6, an IPv4-mapped or 6to4
address judged by the IPv4 inside), and then connects to the very address it checked, so a name that
resolves differently a moment later (DNS rebinding) cannot slip past. TLS still verifies the host name.
``settings.NEWS_FEED_ALLOW_PRIVATE`` lifts the check for a school whose sources sit on its intranet.

XML is parsed by the standard library after refusing any document with a DOCTYPE or an entity
declaration (no ``defusedxml`` here): a feed has no use for them, and they are how the billion-laughs
and external-entity attacks come in.
"""

from __future__ import annotations

import email.utils
import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from dangjian.news.sanitize import plain_text

CHUNK = 64 * 1024
MAX_ITEMS = 500  # items read from one feed (the newest come first in every feed we know)
USER_AGENT = "dangjian-feeds/1.0"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"

Opener = Callable[[urllib.request.Request, float], Any]


class FeedError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ParsedItem:
    guid: str
    title: str
    summary: str
    link: str
    published_at: datetime | None


@dataclass(frozen=True)
class Fetched:
    not_modified: bool
    items: list[ParsedItem]
    etag: str = ""
    last_modified: str = ""


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:g}"


# ---------------------------------------------------------------- reading the XML


def _text(el: ET.Element | None) -> str:
    return "".join(el.itertext()).strip() if el is not None else ""


def _date(raw: str) -> datetime | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        when = email.utils.parsedate_to_datetime(raw)  # RSS: RFC 822
    except (TypeError, ValueError, IndexError):
        try:
            when = datetime.fromisoformat(raw)  # Atom: RFC 3339
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when


def _item(guid: str, title: str, summary: str, link: str, when: str) -> ParsedItem | None:
    title = plain_text(title, 300)
    link = link.strip()[:1000]
    if not title:
        return None
    if link and urlsplit(link).scheme not in ("http", "https"):
        link = ""  # a javascript: or data: link is not a source anyone should click
    key = (guid.strip() or link or title)[:500]
    return ParsedItem(key, title, plain_text(summary, 2000), link, _date(when))


def _rss(root: ET.Element) -> list[ParsedItem]:
    channel = root.find("channel")
    out = []
    for el in (channel if channel is not None else root).iter("item"):
        item = _item(
            _text(el.find("guid")),
            _text(el.find("title")),
            _text(el.find("description")) or _text(el.find(CONTENT)),
            _text(el.find("link")),
            _text(el.find("pubDate")),
        )
        if item is not None:
            out.append(item)
        if len(out) >= MAX_ITEMS:
            break
    return out


def _atom_link(entry: ET.Element) -> str:
    for link in entry.findall(f"{ATOM}link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href", "")
    return ""


def _atom(root: ET.Element) -> list[ParsedItem]:
    out = []
    for el in root.findall(f"{ATOM}entry"):
        item = _item(
            _text(el.find(f"{ATOM}id")),
            _text(el.find(f"{ATOM}title")),
            _text(el.find(f"{ATOM}summary")) or _text(el.find(f"{ATOM}content")),
            _atom_link(el),
            _text(el.find(f"{ATOM}published")) or _text(el.find(f"{ATOM}updated")),
        )
        if item is not None:
            out.append(item)
        if len(out) >= MAX_ITEMS:
            break
    return out


def parse_feed(data: bytes) -> list[ParsedItem]:
    """The items of an RSS 2.0 or Atom document; ``FeedError`` for anything else."""
    head = data.lstrip()[:1]
    if not data.strip():
        raise FeedError(_("订阅源内容为空"))
    upper = data.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise FeedError(_("订阅源含有 DOCTYPE 或实体声明，出于安全考虑不予解析"))
    if head not in (b"<", b"\xef"):  # "<" or a UTF-8 byte-order mark
        raise FeedError(_("订阅源内容不是 XML"))
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FeedError(_("订阅源不是有效的 XML：%(e)s") % {"e": str(exc)[:100]}) from exc
    if root.tag == "rss":
        return _rss(root)
    if root.tag == f"{ATOM}feed":
        return _atom(root)
    raise FeedError(_("不是 RSS 2.0 或 Atom 订阅源（根元素为 %(t)s）") % {"t": root.tag[:60]})


# ---------------------------------------------------------------- getting the bytes


def file_path(url: str, root: str | None = None) -> Path:
    """The file a ``file:`` source names, inside the feed file root; ``FeedError`` outside it."""
    base = Path(root or settings.NEWS_FEED_FILE_ROOT).resolve()
    raw = unquote(urlsplit(url).path)
    path = (base / raw.lstrip("/")).resolve() if not Path(raw).is_absolute() else Path(raw).resolve()
    if not path.is_relative_to(base) or ".." in raw.split("/"):
        raise FeedError(_("本地订阅源只能位于 %(d)s 目录中") % {"d": base.name})
    return path


def _read_file(url: str, last_modified: str, max_bytes: int) -> Fetched:
    path = file_path(url)
    try:
        stamp = email.utils.formatdate(path.stat().st_mtime, usegmt=True)
        if last_modified and stamp == last_modified:
            return Fetched(True, [], last_modified=stamp)
        if path.stat().st_size > max_bytes:
            raise FeedError(_("订阅源内容超过 %(n)s MB，已跳过") % {"n": _mb(max_bytes)})
        data = path.read_bytes()
    except OSError as exc:
        raise FeedError(
            _("无法读取本地订阅源：%(e)s") % {"e": exc.strerror or exc.__class__.__name__}
        ) from exc
    return Fetched(False, parse_feed(data), last_modified=stamp)


# ---------------------------------------------------------------- public addresses only


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host names literally — also the legacy forms getaddrinfo accepts (``127.1``,
    ``2130706433``, ``0x7f.0.0.1``) — or None for a name."""
    host = text.strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour
        if inner is not None:
            return is_public_address(inner)
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _refused(host: str) -> FeedError:
    return FeedError(
        _("订阅源地址 %(h)s 指向本机、内网或保留地址，不予抓取（校内网站须由系统管理员允许）")
        % {"h": host[:100]}
    )


def private_host_message() -> str:
    return _("订阅地址不能是本机、内网或保留的 IP 地址（如 127.0.0.1、10.x.x.x、192.168.x.x）")


def literal_private_host(url: str) -> bool:
    """Whether the address's host is written as an IP that is not public (the source form refuses it);
    a host name is judged when it is fetched."""
    if getattr(settings, "NEWS_FEED_ALLOW_PRIVATE", False):
        return False
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    address = _ip(host)
    return address is not None and not is_public_address(address)


def _public_connection(address: tuple[str, int], timeout: Any, source_address: Any = None) -> socket.socket:
    """``socket.create_connection`` for the feed opener: resolve once, refuse unless every address is
    public, then connect to the checked addresses themselves (not the name again)."""
    host, port = address
    if getattr(settings, "NEWS_FEED_ALLOW_PRIVATE", False):
        return socket.create_connection(address, timeout, source_address)
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    checked = []
    for info in infos:
        ip = _ip(str(info[4][0]))
        if ip is None or not is_public_address(ip):
            raise _refused(host)
        checked.append(str(ip))
    error: OSError = OSError(_("无法解析订阅源地址 %(h)s") % {"h": host[:100]})
    for ip_text in dict.fromkeys(checked):
        try:
            return socket.create_connection((ip_text, port), timeout, source_address)
        except OSError as exc:
            error = exc
    raise error


def _pinned(connection_class: type[http.client.HTTPConnection]) -> Callable[..., http.client.HTTPConnection]:
    def connection(host: str, **kwargs: Any) -> http.client.HTTPConnection:
        made = connection_class(host, **kwargs)
        made._create_connection = _public_connection  # type: ignore[attr-defined]
        return made

    return connection


class _PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_pinned(http.client.HTTPConnection), req)  # type: ignore[arg-type]


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(
            _pinned(http.client.HTTPSConnection),  # type: ignore[arg-type]
            req,
            context=self._context,  # type: ignore[attr-defined]
        )


def _default_opener(request: urllib.request.Request, timeout: float) -> Any:
    """http(s) only, redirects followed (urllib refuses a redirect to another scheme), no proxy; each
    connection, the redirected ones too, to a public address only (``_public_connection``)."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        _PublicHTTPHandler(),
        _PublicHTTPSHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener.open(request, timeout=timeout)


def _read_limited(response: Any, max_bytes: int, deadline: float, timeout: float) -> bytes:
    length = response.headers.get("Content-Length") if response.headers else None
    if length and length.isdigit() and int(length) > max_bytes:
        raise FeedError(_("订阅源内容超过 %(n)s MB，已跳过") % {"n": _mb(max_bytes)})
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise FeedError(_("订阅源内容超过 %(n)s MB，已跳过") % {"n": _mb(max_bytes)})
        if time.monotonic() > deadline:
            raise FeedError(_("订阅源响应太慢（超过 %(s)s 秒），已跳过") % {"s": timeout})
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    opener: Opener | None = None,
    timeout: float | None = None,
    max_bytes: int | None = None,
) -> Fetched:
    """The feed at ``url``, or ``not_modified``; ``FeedError`` with the reason otherwise."""
    timeout = float(timeout or settings.NEWS_FEED_TIMEOUT)
    max_bytes = int(max_bytes or settings.NEWS_FEED_MAX_BYTES)
    scheme = urlsplit(url).scheme.lower()
    if scheme == "file":
        return _read_file(url, last_modified, max_bytes)
    if scheme not in ("http", "https"):
        raise FeedError(_("订阅地址必须以 http:// 或 https:// 开头"))
    headers = {"User-Agent": USER_AGENT, "Accept": "application/rss+xml, application/atom+xml, */*"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    deadline = time.monotonic() + timeout
    try:
        response = (opener or _default_opener)(request, timeout)
        try:
            data = _read_limited(response, max_bytes, deadline, timeout)
            got = response.headers
        finally:
            close = getattr(response, "close", None)
            if close:
                close()
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(True, [], etag=etag, last_modified=last_modified)
        raise FeedError(_("订阅源返回 HTTP %(c)s 错误") % {"c": exc.code}) from exc
    except TimeoutError as exc:
        raise FeedError(_("订阅源响应太慢（超过 %(s)s 秒），已跳过") % {"s": timeout}) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise FeedError(_("订阅源响应太慢（超过 %(s)s 秒），已跳过") % {"s": timeout}) from exc
        raise FeedError(_("无法连接订阅源：%(e)s") % {"e": str(exc.reason)[:100]}) from exc
    except OSError as exc:
        raise FeedError(_("无法连接订阅源：%(e)s") % {"e": str(exc)[:100]}) from exc
    items = parse_feed(data)
    return Fetched(
        False,
        items,
        etag=(got.get("ETag") or "")[:200] if got else "",
        last_modified=(got.get("Last-Modified") or "")[:100] if got else "",
    )
