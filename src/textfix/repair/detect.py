"""The repair stage's gate: one pass of compiled regexes that clean text leaves at regex speed."""
from __future__ import annotations

from functools import lru_cache

import re

from ftfy.badness import is_bad

from .entities import REFERENCE
from .model import CharModel
from .reencode import rare_pair, rare_question_pair
from .resync import TRIGGER

# UTF-8 lead byte read as latin-1/cp1252, followed by a continuation byte read the same way.
LATIN_MOJIBAKE = (
    r"[\u00c2-\u00f4][\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160"
    r"\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]"
)


# A parenthesised toned pinyin syllable right after a CJK ideograph (checked in full by the
# fixer; a converter's annotations carry tone marks, English words in parentheses do not).
ANNOTATION_HINT = r"[\u3400-\u9fff\uf900-\ufaff]\([a-z]{0,5}[\u00e0-\u00fc\u0101-\u01dc\u0144\u0148\u01f9\u1e3f][a-z]{0,4}\)"


@lru_cache(maxsize=1)
def suspect_patterns(model: CharModel) -> tuple[re.Pattern, ...]:
    # stdlib `re` compiles big character classes to bitmaps; separate patterns keep each one's
    # fast literal scan, which one alternation of all of them loses
    patterns = (TRIGGER.pattern, ANNOTATION_HINT, LATIN_MOJIBAKE, rare_pair(model).pattern,
                rare_question_pair(model).pattern, REFERENCE.pattern)
    return tuple(re.compile(p) for p in patterns)


def is_suspect(text: str, model: CharModel) -> bool:
    # ftfy's own badness heuristic covers Cyrillic, MacRoman, cp437 ... mojibake
    return any(p.search(text) for p in suspect_patterns(model)) or is_bad(text)
