"""Reading and fetching one feed without any network: RSS 2.0 and Atom, and every bad input — empty,
not XML, malformed, a DOCTYPE or entity, too large, too slow, an HTTP error, 304 — a clear Chinese
``FeedError`` (or "not modified"), never an exception of the parser's own; only public addresses are
connected to, every connection checked (redirects too) and pinned to the address checked."""

from __future__ import annotations

import ipaddress
import os
import urllib.error
from datetime import UTC, datetime

import pytest

from dangjian.news.feeds.fetch import (
    FeedError,
    fetch,
    file_path,
    is_public_address,
    literal_private_host,
    parse_feed,
)
from tests.news.feeds.conftest import DEMO, RSS, FakeOpener, FakeResponse, http_response, not_modified


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


# ---------------------------------------------------------------- public addresses only

PUBLIC = "93.184.216.34"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.10",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "2002:7f00:1::1",
        "2001:db8::1",
    ],
)
def test_loopback_private_link_local_multicast_reserved_and_unspecified_are_not_public(address) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", [PUBLIC, "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_public(address) -> None:
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "answers", [["127.0.0.1"], ["192.168.1.10"], ["::1"], ["::ffff:10.0.0.5"], [PUBLIC, "10.0.0.5"]]
)
def test_a_name_resolving_to_any_private_address_is_refused_before_connecting(network, answers) -> None:
    network.dns["feeds.example.org"] = answers
    for url in ("http://feeds.example.org/rss", "https://feeds.example.org/rss"):
        with pytest.raises(FeedError, match="内网"):
            fetch(url)
    assert network.connected == []


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1/rss", "http://[::1]:8080/rss", "http://2130706433/rss", "https://10.0.0.1/rss"]
)
def test_a_literal_private_address_is_refused(network, url) -> None:
    with pytest.raises(FeedError, match="内网"):
        fetch(url)
    assert network.connected == []


def test_a_public_name_is_fetched_from_the_address_that_was_checked(network) -> None:
    network.dns["feeds.example.org"] = [PUBLIC]
    network.pages[PUBLIC] = http_response(RSS, headers={"ETag": '"v1"'})
    got = fetch("http://feeds.example.org/rss")
    assert got.items[0].title == "党建工作会" and got.etag == '"v1"'
    # pinned: one lookup, the connection to the checked address, the name in the Host header
    assert network.lookups == ["feeds.example.org"] and network.connected == [(PUBLIC, 80)]
    assert b"Host: feeds.example.org" in network.sockets[0].sent


@pytest.mark.parametrize("target", ["http://127.0.0.1/feed.xml", "http://intranet.example.org/feed.xml"])
def test_a_redirect_to_a_private_address_is_refused(network, target) -> None:
    network.dns["feeds.example.org"] = [PUBLIC]
    network.dns["intranet.example.org"] = ["10.0.0.8"]
    network.pages[PUBLIC] = http_response(status="302 Found", headers={"Location": target})
    network.pages["127.0.0.1"] = network.pages["10.0.0.8"] = http_response(RSS)
    with pytest.raises(FeedError, match="内网"):
        fetch("http://feeds.example.org/rss")
    assert network.connected == [(PUBLIC, 80)]


def test_a_redirect_to_another_public_address_is_followed(network) -> None:
    network.dns["feeds.example.org"] = [PUBLIC]
    network.dns["cdn.example.net"] = ["8.8.8.8"]
    network.pages[PUBLIC] = http_response(
        status="301 Moved Permanently", headers={"Location": "http://cdn.example.net/rss"}
    )
    network.pages["8.8.8.8"] = http_response(RSS)
    assert len(fetch("http://feeds.example.org/rss").items) == 2
    assert network.connected == [(PUBLIC, 80), ("8.8.8.8", 80)]


def test_an_intranet_school_may_allow_private_addresses(network, settings) -> None:
    settings.NEWS_FEED_ALLOW_PRIVATE = True
    network.pages["intranet.example.org"] = http_response(RSS)
    assert len(fetch("http://intranet.example.org/rss").items) == 2


def test_local_files_are_not_affected_by_the_address_check(network, feed_root) -> None:
    assert len(fetch("file:gxdj.xml").items) == 15 and network.lookups == []


@pytest.mark.parametrize(
    ("url", "private"),
    [
        ("http://127.0.0.1/rss", True),
        ("https://192.168.0.5:8443/rss", True),
        ("http://[::ffff:10.0.0.1]/rss", True),
        ("http://[fe80::1]/rss", True),
        ("http://0x7f.1/rss", True),
        ("https://a.example.cn/rss", False),
        ("https://8.8.8.8/rss", False),
        ("file:gxdj.xml", False),
        ("http://[::1/rss", False),  # not a valid address: the service says so
    ],
)
def test_a_literal_private_host_is_recognised_without_any_lookup(network, url, private) -> None:
    assert literal_private_host(url) is private and network.lookups == []


def test_literal_private_hosts_are_allowed_with_the_setting(settings) -> None:
    settings.NEWS_FEED_ALLOW_PRIVATE = True
    assert not literal_private_host("http://127.0.0.1/rss")
