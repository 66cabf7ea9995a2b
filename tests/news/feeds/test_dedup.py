"""The pure functions of 智能整理: tokens, SimHash, the threshold's boundary (policy
``news_feed_simhash_distance``), the banded search and the grouping of items in time order."""

from __future__ import annotations

import random

import pytest

from dangjian.news.feeds import dedup
from dangjian.policy import get_policy

BASE = 0x9E3779B97F4A7C15


def flip(value: int, bits: list[int]) -> int:
    for bit in bits:
        value ^= 1 << bit
    return value


def test_the_default_threshold_is_three_bits() -> None:
    assert get_policy().news_feed_simhash_distance == 3


@pytest.mark.parametrize(
    ("bits", "duplicate"),
    [
        ([], True),
        ([5], True),
        ([0, 17], True),
        ([0, 17, 40], True),  # 3 bits in three blocks: one block untouched
        ([1, 2, 3], True),  # 3 bits in one block
        ([0, 17, 40, 63], False),  # 4 bits, one in each block
        ([1, 2, 3, 4], False),  # 4 bits in one block
        ([0, 1, 16, 17, 32], False),
    ],
)
def test_the_threshold_boundary_with_the_default(bits: list[int], duplicate: bool) -> None:
    threshold = get_policy().news_feed_simhash_distance
    other = flip(BASE, bits)
    assert dedup.distance(BASE, other) == len(bits)
    assert dedup.is_near_duplicate(BASE, other, threshold) is duplicate
    index = dedup.SimIndex(threshold)
    index.add("first", BASE)
    found = index.nearest(other)
    assert (found is not None) is duplicate
    if duplicate:
        assert found == ("first", len(bits))


@pytest.mark.parametrize(
    ("threshold", "bits", "duplicate"), [(0, [], True), (0, [9], False), (5, [1, 2, 3, 4, 5], True)]
)
def test_a_school_may_set_another_threshold(threshold: int, bits: list[int], duplicate: bool) -> None:
    assert dedup.group([("a", BASE), ("b", flip(BASE, bits))], threshold)["b"] == ("a" if duplicate else None)


def test_signed_storage_round_trips_and_distance_ignores_the_sign() -> None:
    high = (1 << 63) | 12345
    signed = dedup.to_signed(high)
    assert signed < 0 and dedup.to_unsigned(signed) == high
    assert dedup.distance(signed, high) == 0
    assert dedup.to_signed(5) == 5


def test_tokens_drop_stop_words_punctuation_numbers_and_single_characters() -> None:
    words = dedup.tokens("【转载】近日，校党委召开党建工作推进会！2026 The Party")
    assert "党建" in words and "校党委" in words and "party" in words
    assert not {"近日", "，", "！", "2026", "会", "转载", "the"} & set(words)


def test_a_light_rewording_keeps_the_fingerprint_close_and_another_story_far() -> None:
    story = (
        "医学院学生党员志愿服务队走进城东社区，为老年居民开展义诊和健康知识宣讲。志愿者们测量血压、"
        "讲解慢性病防治知识，并结合党史故事开展微党课，把专业所学送到群众身边。"
    )
    a = dedup.simhash(story)
    assert a == dedup.simhash(story)  # stable (no per-process hash seed)
    assert dedup.distance(a, dedup.simhash("【转载】" + story)) == 0
    assert dedup.distance(a, dedup.simhash(story.replace("走进", "来到"))) <= 6  # one word of ~25
    other = dedup.simhash("学校启动党费收缴使用管理专项检查，重点检查党费按月交纳和使用审批等情况。")
    assert dedup.distance(a, other) > 12
    assert dedup.simhash("") == 0


def test_grouping_points_each_item_at_the_nearest_earlier_one() -> None:
    items = [
        ("a", BASE),
        ("b", flip(BASE, [1, 2])),  # a at 2
        ("c", flip(BASE, [1, 2, 20])),  # b at 1, a at 3: the nearest wins
        ("d", flip(BASE, [0, 17, 40, 63])),  # 4 from a
        ("e", flip(BASE, [60])),  # a and d both at 1... a at 1, d at 3
    ]
    groups = dedup.group(items, 3)
    assert groups == {"a": None, "b": "a", "c": "b", "d": None, "e": "a"}


def test_a_tie_goes_to_the_earlier_item() -> None:
    index = dedup.SimIndex(3)
    index.add("old", flip(BASE, [1]))
    index.add("new", flip(BASE, [2]))
    assert index.nearest(BASE) == ("old", 1)


def test_the_banded_search_finds_exactly_what_all_pairs_find_within_three_bits() -> None:
    rng = random.Random(7)
    hashes = [rng.getrandbits(64) for _ in range(150)]
    hashes += [flip(h, rng.sample(range(64), rng.randint(0, 3))) for h in hashes[:100]]
    index = dedup.SimIndex(3)
    for i, h in enumerate(hashes):
        found = index.nearest(h)
        brute = [(dedup.distance(h, hashes[j]), j) for j in range(i) if dedup.distance(h, hashes[j]) <= 3]
        assert (found[0] if found else None) == (min(brute)[1] if brute else None)
        index.add(i, h)


def test_keywords_are_jiebas_tfidf_without_stop_words() -> None:
    words = dedup.keywords("计算机学院举行新党员入党宣誓仪式，二十名预备党员面向党旗庄严宣誓。")
    assert 0 < len(words) <= 5 and "宣誓" in words
