"""Reading and fetching one feed without any network: RSS 2.0 and Atom, and every bad input — empty,
not XML, malformed, a DOCTYPE or entity, too large, too slow, an HTTP error, 304 — a clear Chinese
``FeedError`` (or "not modified"), never an exception of the parser's own."""

from __future__ import annotations

import os
import urllib.error
from datetime import UTC, datetime

import pytest

from dangjian.news.feeds.fetch import FeedError, fetch, file_path, parse_feed
from tests.news.feeds.conftest import DEMO, RSS, FakeOpener, FakeResponse, not_modified


def test_rss_items_are_read_with_html_stripped_and_bad_links_dropped() -> None:
    items = parse_feed(RSS)
    assert [i.title for i in items] == ["党建工作会", "Second"]  # the third has no title
    first = items[0]
    assert first.guid == "a-1" and first.link == "https://a.example.cn/1"
    assert first.summary == "会议强调"  # tags and the script's content gone
    assert first.published_at == datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    assert items[1].link == "" and items[1].guid == "Second"


def test_the_demo_feeds_are_rss_and_atom_with_fifteen_items_each() -> None:
    rss = parse_feed((DEMO / "hongse.xml").read_bytes())
    atom = parse_feed((DEMO / "gxdj.xml").read_bytes())
    assert len(rss) == 15 and len(atom) == 15
    assert atom[0].guid.startswith("urn:example:gxdj:") and atom[0].link.startswith("https://")
    assert atom[0].published_at is not None and atom[0].summary


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "为空"),
        (b"   \n", "为空"),
        (b"hello, not a feed", "不是 XML"),
        (b'{"items": []}', "不是 XML"),
        (b"<rss><channel><item><title>x</title></channel>", "不是有效的 XML"),
        (b"<html><body>oops</body></html>", "不是 RSS 2.0 或 Atom"),
        (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss><channel/></rss>', "DOCTYPE"),
        (b"<!doctype html><html></html>", "DOCTYPE"),
        (b'<rss><!ENTITY x SYSTEM "file:///etc/passwd"></rss>', "DOCTYPE"),
    ],
)
def test_bad_documents_are_clear_errors(data: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        parse_feed(data)


def test_a_conditional_get_sends_the_validators_and_304_is_nothing_new() -> None:
    opener = FakeOpener(error=not_modified())
    got = fetch(
        "https://a.example.cn/feed", etag='"v1"', last_modified="Mon, 23 Nov 2026 01:00:00 GMT", opener=opener
    )
    assert got.not_modified and got.items == [] and got.etag == '"v1"'
    request = opener.requests[0]
    assert request.get_header("If-none-match") == '"v1"'
    assert request.get_header("If-modified-since") == "Mon, 23 Nov 2026 01:00:00 GMT"


def test_a_fetch_keeps_the_new_validators() -> None:
    opener = FakeOpener(RSS, headers={"ETag": '"v2"', "Last-Modified": "Tue, 24 Nov 2026 01:00:00 GMT"})
    got = fetch("https://a.example.cn/feed", opener=opener)
    assert not got.not_modified and len(got.items) == 2
    assert got.etag == '"v2"' and got.last_modified.startswith("Tue")
    assert opener.requests[0].get_header("If-none-match") is None


def test_a_feed_over_the_size_limit_is_skipped_while_reading() -> None:
    big = b"<rss>" + b" " * (3 * 1024 * 1024) + b"</rss>"
    with pytest.raises(FeedError, match="订阅源内容超过 2 MB，已跳过"):
        fetch("https://a.example.cn/feed", opener=FakeOpener(big), max_bytes=2 * 1024 * 1024)


def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    opener = FakeOpener(b"<rss/>", headers={"Content-Length": str(50 * 1024 * 1024)})
    with pytest.raises(FeedError, match="超过 2 MB"):
        fetch("https://a.example.cn/feed", opener=opener, max_bytes=2 * 1024 * 1024)


def test_a_slow_feed_is_cut_off_at_the_deadline(monkeypatch) -> None:
    clock = iter(range(0, 1000, 4))
    monkeypatch.setattr("dangjian.news.feeds.fetch.time.monotonic", lambda: next(clock))

    def opener(request, timeout):
        return FakeResponse(b"<rss>" + b" " * (200 * 1024) + b"</rss>")

    with pytest.raises(FeedError, match="太慢"):
        fetch("https://a.example.cn/feed", opener=opener, timeout=10)


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (TimeoutError("timed out"), "太慢"),
        (urllib.error.URLError(TimeoutError()), "太慢"),
        (urllib.error.URLError("Name or service not known"), "无法连接"),
        (urllib.error.HTTPError("https://a.example.cn/feed", 500, "boom", {}, None), "HTTP 500"),  # type: ignore[arg-type]
        (ConnectionResetError("reset"), "无法连接"),
    ],
)
def test_network_failures_are_clear_errors(error: Exception, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        fetch("https://a.example.cn/feed", opener=FakeOpener(error=error))


def test_only_http_https_and_local_files_are_fetched() -> None:
    with pytest.raises(FeedError, match="http://"):
        fetch("ftp://a.example.cn/feed")


def test_local_files_stay_inside_the_feed_root(feed_root) -> None:
    assert file_path("file:hongse.xml") == feed_root / "hongse.xml"
    for url in ("file:../secret.xml", "file:///etc/passwd", "file:sub/../../x.xml"):
        with pytest.raises(FeedError, match="只能位于"):
            file_path(url)


def test_a_local_file_uses_its_modification_time_as_last_modified(feed_root) -> None:
    got = fetch("file:gxdj.xml")
    assert len(got.items) == 15 and got.last_modified
    again = fetch("file:gxdj.xml", last_modified=got.last_modified)
    assert again.not_modified
    os.utime(feed_root / "gxdj.xml", (1, 1))
    assert not fetch("file:gxdj.xml", last_modified=got.last_modified).not_modified


def test_a_missing_or_oversized_local_file_is_an_error(feed_root, settings) -> None:
    with pytest.raises(FeedError, match="无法读取"):
        fetch("file:missing.xml")
    settings.NEWS_FEED_MAX_BYTES = 1000
    with pytest.raises(FeedError, match="超过"):
        fetch("file:gxdj.xml")
