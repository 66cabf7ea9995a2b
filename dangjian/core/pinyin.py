"""Pinyin of names for search by initials (张三丰 -> "zsf")."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


def name_pinyin(name: str) -> str:
    return "".join(lazy_pinyin(name, errors="ignore")).lower()


def name_initials(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()


@lru_cache(maxsize=65_536)
def name_pinyin_and_initials(name: str) -> tuple[str, str]:
    """``(name_pinyin(name), name_initials(name))`` from one conversion: pypinyin's first-letter style is
    the first letter of the plain syllable it chooses, so the initials need not segment the name again
    (≈70 µs a name: half of an imported row's cost). Common names repeat, hence the cache."""
    syllables = lazy_pinyin(name, errors="ignore")
    return "".join(syllables).lower(), "".join(s[:1] for s in syllables).lower()
