"""Which script a text is written in: zh-Hans, zh-Hant, ja, mixed or und.

Counts characters that only one script uses (tables.py) and Japanese kana; the decision
is a few ratios over those counts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from . import tables

HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
# Hiragana, katakana and halfwidth katakana; the middle dot ・ and the long mark ー are
# left out because Chinese text uses them too.
KANA_RANGES = ((0x3041, 0x309F), (0x30A0, 0x30FA), (0x30FD, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9D))

# One bit per class of character; a text's characters are looked up in one flag table.
HAN, KANA, SIMPLIFIED, TRADITIONAL, SHINJITAI, LEANING_S, LEANING_T = (1 << n for n in range(7))

# Japanese is rarely under a fifth kana (short technical strings go down to ~8%); kana in
# Chinese text is mostly a quoted title, 《となりのトトロ》, which is not counted.
KANA_SHARE_JA = 0.05
KANA_SHARE_SURE = 0.2
CHINESE_TITLE = re.compile(r"《[^》\n]*》")
# Shinjitai-only forms per script-specific character before a kana-less text counts as Japanese.
SHINJITAI_SHARE_JA = 0.3
# A text is mixed when the minority script has this many script-specific characters, and
# this share of them (a naive conversion leaves ~1%: seed 001 keeps 28 并 among 3,300).
MINORITY_MIN_MIXED = 3
MINORITY_SHARE_MIXED = 0.005


@dataclass(frozen=True)
class ScriptProfile:
    script: str
    han: int
    kana: int
    simplified: int  # characters only simplified Chinese uses
    traditional: int  # characters only traditional Chinese uses
    shinjitai: int  # characters only Japanese uses

    @property
    def ratios(self) -> dict[str, float]:
        cjk = max(1, self.han + self.kana)
        specific = max(1, self.simplified + self.traditional)
        return {
            "kana": self.kana / cjk,
            "simplified": self.simplified / specific,
            "traditional": self.traditional / specific,
            "shinjitai": self.shinjitai / cjk,
        }


@lru_cache(maxsize=None)
def _flag_table():
    import numpy as np

    flags = np.zeros(0x110000, dtype=np.uint8)
    for flag, ranges in ((HAN, HAN_RANGES), (KANA, KANA_RANGES)):
        for low, high in ranges:
            flags[low : high + 1] |= flag
    for flag, chars in (
        (SIMPLIFIED, tables.simplified_only()),
        (TRADITIONAL, tables.traditional_only()),
        (SHINJITAI, tables.shinjitai_only()),
        (LEANING_S, tables.leaning_simplified()),
        (LEANING_T, tables.leaning_traditional()),
    ):
        flags[[ord(c) for c in chars]] |= flag
    return flags


@lru_cache(maxsize=None)
def _bins():
    """Row n: which of the 256 flag combinations hold flag 1 << n."""
    import numpy as np

    return np.array([[value >> n & 1 for value in range(256)] for n in range(7)], dtype=np.int64)


def profile(text: str, codepoints=None) -> ScriptProfile:
    """The script decision together with the counts behind it (`codepoints`: the text's,
    if the caller already has them)."""
    import numpy as np

    if codepoints is None:
        codepoints = tables.codepoints(text)
    counts = (_bins() @ np.bincount(_flag_table()[codepoints], minlength=256)).tolist()
    return _decide(text, counts)


def profiles(texts: Sequence[str], codepoints=None) -> list[ScriptProfile]:
    """profile() of many texts with one table lookup and one count over all of them (a
    numpy call costs microseconds however short the text: one per text would dominate).
    `codepoints`: those of "".join(texts), if the caller already has them."""
    import numpy as np

    if not texts:
        return []
    if codepoints is None:
        codepoints = tables.codepoints("".join(texts))
    flags = _flag_table().take(codepoints)
    owner = np.repeat(np.arange(0, len(texts) * 256, 256, dtype=np.int32), [len(t) for t in texts])
    per_text = np.bincount(owner + flags, minlength=len(texts) * 256).reshape(len(texts), 256)
    counts = (per_text @ _bins().T).tolist()
    return [_decide(text, c) for text, c in zip(texts, counts)]


def _decide(text: str, counts: list[int]) -> ScriptProfile:
    han, kana, s, t, j, leaning_s, leaning_t = counts  # in the order of the flags
    if han + kana == 0:
        return ScriptProfile("und", 0, 0, 0, 0, 0)
    if KANA_SHARE_JA * (han + kana) <= kana < KANA_SHARE_SURE * (han + kana) and "《" in text:
        outside_titles = tables.codepoints(CHINESE_TITLE.sub("", text))
        kana = int(((_flag_table()[outside_titles] & KANA) != 0).sum())
    if kana >= KANA_SHARE_JA * (han + kana) or (j >= 2 and j >= SHINJITAI_SHARE_JA * (s + t + j)):
        script = "ja"
    elif min(s, t) >= MINORITY_MIN_MIXED and min(s, t) >= MINORITY_SHARE_MIXED * (s + t):
        script = "mixed"
    elif s != t:
        script = "zh-Hant" if t > s else "zh-Hans"
    else:
        # No decisive character: let characters one conversion would change break the tie
        # (於 leans traditional, 后 simplified); a text that reads the same in both is zh-Hans.
        script = "zh-Hant" if leaning_t > leaning_s else "zh-Hans"
    return ScriptProfile(script, han, kana, s, t, j)


def detect_script(text: str) -> str:
    """'zh-Hans', 'zh-Hant', 'ja', 'mixed' or 'und' (no Han or kana at all)."""
    return profile(text).script
