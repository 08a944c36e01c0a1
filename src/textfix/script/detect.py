"""Which script a text is written in: zh-Hans, zh-Hant, ja, mixed or und.

Counts, with one regex pass per class, characters that only one script uses (tables.py)
and Japanese kana; the decision is a few ratios over those counts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import tables

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# Hiragana, katakana and halfwidth katakana; the middle dot ・ and the long mark ー are
# left out because Chinese text uses them too.
KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30fa\u30fd-\u30ff\u31f0-\u31ff\uff66-\uff9d]")

# Japanese prose is rarely under a fifth kana; a Chinese text quoting a title stays far below.
KANA_SHARE_JA = 0.05
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
def _patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(
        re.compile(tables.char_class(chars))
        for chars in (
            tables.simplified_only(),
            tables.traditional_only(),
            tables.shinjitai_only(),
            tables.leaning_simplified(),
            tables.leaning_traditional(),
        )
    )


def profile(text: str) -> ScriptProfile:
    """The script decision together with the counts behind it."""
    simplified_re, traditional_re, shinjitai_re, leaning_s_re, leaning_t_re = _patterns()
    han = len(HAN.findall(text))
    kana = len(KANA.findall(text))
    if han + kana == 0:
        return ScriptProfile("und", 0, 0, 0, 0, 0)
    s = len(simplified_re.findall(text))
    t = len(traditional_re.findall(text))
    j = len(shinjitai_re.findall(text))
    if kana >= KANA_SHARE_JA * (han + kana) or (j >= 2 and j >= SHINJITAI_SHARE_JA * (s + t + j)):
        script = "ja"
    elif min(s, t) >= MINORITY_MIN_MIXED and min(s, t) >= MINORITY_SHARE_MIXED * (s + t):
        script = "mixed"
    elif s != t:
        script = "zh-Hant" if t > s else "zh-Hans"
    else:
        # No decisive character: let characters one conversion would change break the tie
        # (於 leans traditional, 后 simplified); a text that reads the same in both is zh-Hans.
        leaning_t = len(leaning_t_re.findall(text))
        script = "zh-Hant" if leaning_t > len(leaning_s_re.findall(text)) else "zh-Hans"
    return ScriptProfile(script, han, kana, s, t, j)


def detect_script(text: str) -> str:
    """'zh-Hans', 'zh-Hant', 'ja', 'mixed' or 'und' (no Han or kana at all)."""
    return profile(text).script
