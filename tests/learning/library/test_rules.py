"""The 学习库's pure rules: the byte range of a Range header, and how progress reports move a lesson."""

from __future__ import annotations

import pytest

from dangjian.learning.library.rules import (
    ByteRange,
    ProgressRefused,
    RangeNotSatisfiable,
    is_done,
    next_percent,
    parse_range,
    reported_percent,
)


@pytest.mark.parametrize(
    ("header", "size", "wanted"),
    [
        (None, 1000, None),
        ("", 1000, None),
        ("bytes=0-99", 1000, ByteRange(0, 99)),
        ("bytes=100-", 1000, ByteRange(100, 999)),
        ("bytes=-50", 1000, ByteRange(950, 999)),
        ("bytes=-5000", 1000, ByteRange(0, 999)),  # a suffix longer than the file: all of it
        ("bytes=900-5000", 1000, ByteRange(900, 999)),  # an end past the file is cut
        ("bytes=999-999", 1000, ByteRange(999, 999)),
        ("BYTES=0-0", 1000, ByteRange(0, 0)),
    ],
)
def test_a_range_header_gives_the_bytes_asked_for(header, size, wanted) -> None:
    assert parse_range(header, size) == wanted


@pytest.mark.parametrize(
    "header",
    [
        "bytes=1000-",  # starts past the last byte
        "bytes=1000-1100",
        "bytes=50-10",  # ends before it starts
        "bytes=-0",
        "bytes=-",
        "bytes=abc-",
        "bytes=0-99,200-299",  # several ranges: not served
        "items=0-99",
        "bytes",
        "bytes=1.5-2",
    ],
)
def test_a_range_that_cannot_be_served_is_refused(header) -> None:
    with pytest.raises(RangeNotSatisfiable):
        parse_range(header, 1000)


def test_any_range_of_an_empty_file_is_refused() -> None:
    with pytest.raises(RangeNotSatisfiable):
        parse_range("bytes=0-", 0)


def test_the_content_range_names_the_bytes_and_the_size() -> None:
    assert ByteRange(100, 199).content_range(1000) == "bytes 100-199/1000"
    assert ByteRange(100, 199).length == 100


@pytest.mark.parametrize(
    ("kwargs", "percent"),
    [
        ({"percent": 0}, 0),
        ({"percent": 89.9}, 89),
        ({"percent": 100}, 100),
        ({"position": 45, "duration": 50}, 90),
        ({"position": 50.2, "duration": 50}, 100),  # a player's last frame past the duration
        ({"position": 0, "duration": 600}, 0),
    ],
)
def test_a_report_stands_for_a_percent(kwargs, percent) -> None:
    assert reported_percent(**kwargs) == percent


@pytest.mark.parametrize(
    "kwargs",
    [
        {"percent": 100.5},
        {"percent": -1},
        {"percent": float("nan")},
        {"percent": float("inf")},
        {"position": float("inf"), "duration": float("inf")},
        {"position": 70, "duration": 50},
        {"position": -1, "duration": 50},
        {"position": 10, "duration": 0},
        {"position": 10},
        {},
    ],
)
def test_a_nonsense_report_is_refused_in_chinese(kwargs) -> None:
    with pytest.raises(ProgressRefused) as refused:
        reported_percent(**kwargs)
    assert refused.value.status == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in refused.value.message)


def test_progress_never_goes_back() -> None:
    assert next_percent(40, 40) == 40
    assert next_percent(40, 41) == 41
    with pytest.raises(ProgressRefused, match="进度不能倒退"):
        next_percent(40, 39)


@pytest.mark.parametrize(("percent", "done"), [(0, False), (89, False), (90, True), (100, True)])
def test_a_lesson_is_done_from_90_percent(percent, done) -> None:
    assert is_done(percent) is done
