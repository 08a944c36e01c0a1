"""Readings of a character (pypinyin, tone marks), cached: annotations are checked against them."""
from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=65536)
def readings(ch: str) -> frozenset[str]:
    from pypinyin import Style, pinyin

    found = pinyin(ch, style=Style.TONE, heteronym=True, errors="ignore")
    return frozenset(unicodedata.normalize("NFC", r) for group in found for r in group)
