"""How plausible a decoded text is in the language an encoding is used for.

Cost of a text = sum over its characters of -ln p(char | language), in tenths of a nat.
CJK characters take their cost from data/char_cost.tsv (frequencies per language, built
by scripts/build_decode_tables.py); characters not listed there, punctuation and other
classes take a class cost. Comparing the costs of the readings of the same bytes picks
the encoding: codec structure alone cannot, because common GBK byte pairs are also valid,
common EUC-KR hangul, and so on.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache
from importlib import resources

LANGS = ("zh-Hans", "zh-Hant", "ja", "ko")
_UNLISTED_HAN = 150
_UNKNOWN = 200  # controls, private use, unassigned
# Costs of characters missing from the table, per language:
#   kana, hangul, CJK punctuation, half-width katakana, other letter, symbol
_CLASS_COSTS = {
    "zh-Hans": (130, 160, 40, 220, 130, 110),
    "zh-Hant": (130, 160, 40, 220, 130, 110),
    "ja": (100, 160, 40, 160, 130, 110),
    "ko": (140, 120, 45, 220, 130, 110),
    "latin": (160, 160, 120, 220, 50, 110),  # Windows-1252 / Latin-1 readings
    "alpha": (160, 160, 120, 220, 50, 110),  # a single-byte code page for any alphabet
}


@lru_cache(maxsize=1)
def _tables() -> dict[str, dict[str, int]]:
    tables: dict[str, dict[str, int]] = {lang: {} for lang in LANGS}
    text = resources.files("textfix.decode").joinpath("data/char_cost.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        char, *costs = line.split("\t")
        for lang, cost in zip(LANGS, costs):
            if cost != "-":
                tables[lang][char] = int(cost)
    return tables


def _han_cost(char: str, lang: str) -> int:
    tables = _tables()
    if lang in tables and char in tables[lang]:
        return tables[lang][char]
    chinese = min(tables["zh-Hans"].get(char, _UNLISTED_HAN), tables["zh-Hant"].get(char, _UNLISTED_HAN))
    if lang == "ja":
        return chinese + 20  # kanji missing from the Japanese table: rarer than in Chinese
    if lang == "ko":
        return chinese + 40  # hanja are rare in modern Korean
    return _UNLISTED_HAN + 20


@lru_cache(maxsize=1 << 16)
def char_cost(char: str, lang: str) -> int:
    cp = ord(char)
    if cp < 0x80:
        return 0 if (char >= " " or char in "\t\n\r") else _UNKNOWN
    kana, hangul, punct, halfwidth_kana, letter, symbol = _CLASS_COSTS[lang]
    if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF:
        return _han_cost(char, lang)
    table = _tables().get(lang, {})
    if 0x3041 <= cp <= 0x30FF:
        return table.get(char, kana)
    if 0xAC00 <= cp <= 0xD7A3:
        return table.get(char, hangul if _in_ks_x_1001(char) else hangul + 60)
    if 0xFF61 <= cp <= 0xFF9F:
        return halfwidth_kana  # legal in Shift-JIS, rare in real text
    if 0x3000 <= cp <= 0x303F or 0xFF00 <= cp <= 0xFFEF or 0x2010 <= cp <= 0x2027:
        return punct
    category = unicodedata.category(char)
    if category[0] == "L":
        return letter if (lang == "alpha" or 0xC0 <= cp <= 0xFF) else letter + 40
    if category[0] in "PSNZ":
        return symbol
    return _UNKNOWN


@lru_cache(maxsize=4096)
def _in_ks_x_1001(char: str) -> bool:
    """The 2,350 hangul of EUC-KR; the other 8,822 (CP949 only) are rare in real text."""
    try:
        char.encode("euc_kr")
        return True
    except UnicodeEncodeError:
        return False


def text_cost(text: str, lang: str) -> int:
    # Count first (in C), then price each distinct character once.
    cost = sum(char_cost(c, lang) * n for c, n in Counter(text).items())
    if lang == "latin":
        # Western text has accented letters here and there; a run of them ("Ïðèâåò")
        # is a Cyrillic or Greek code page read as Windows-1252.
        cost += 40 * sum(1 for a, b in zip(text, text[1:]) if a > "\x7f" and b > "\x7f" and a.isalpha() and b.isalpha())
    return cost
