"""Pinyin of names: the one-call pair the bulk writers use matches the two functions."""

from __future__ import annotations

import pytest

from dangjian.core.pinyin import name_initials, name_pinyin, name_pinyin_and_initials


@pytest.mark.parametrize("name", ["张三丰", "单雄信", "欧阳娜娜", "曾国藩", "吕布", "尉迟恭", "解缙", "A张"])
def test_pinyin_and_initials_in_one_go_match_the_two_functions(name: str) -> None:
    assert name_pinyin_and_initials(name) == (name_pinyin(name), name_initials(name))
