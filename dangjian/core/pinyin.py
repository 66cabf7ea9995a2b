"""Pinyin of names for search by initials (张三丰 -> "zsf")."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def name_pinyin(name: str) -> str:
    return "".join(lazy_pinyin(name, errors="ignore")).lower()


def name_initials(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
