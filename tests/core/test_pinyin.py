"""The one-pass pinyin of a name gives exactly the two separate conversions (search keeps working)."""

from __future__ import annotations

import pytest

from dangjian.core.pinyin import name_initials, name_pinyin, name_pinyin_and_initials

NAMES = [
    "张三丰",
    "单雄信",  # 单 as a surname
    "曾国藩",
    "吕绿华",  # ü
    "欧阳娜娜",
    "长孙无忌",
    "嗯呣",  # syllables without a vowel letter
    "李A明2",
    "Anna 王",
    "基准12345",
    "尉迟恭",
    "解缙",
    "A张",
    "",
    "123",
]


@pytest.mark.parametrize("name", NAMES)
def test_one_pass_equals_the_two_conversions(name: str) -> None:
    assert name_pinyin_and_initials(name) == (name_pinyin(name), name_initials(name))
