"""The repair stage's gate: one pass of compiled regexes that clean text leaves at regex speed."""
from __future__ import annotations

from functools import lru_cache

import regex

from .annotations import ANNOTATION
from .model import CharModel
from .reencode import rare_pair
from .resync import TRIGGER

# UTF-8 lead byte read as latin-1/cp1252, followed by a continuation byte read the same way.
LATIN_MOJIBAKE = (
    r"[\u00c2-\u00f4][\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160"
    r"\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]"
)


@lru_cache(maxsize=1)
def suspect_pattern(model: CharModel) -> regex.Pattern:
    parts = [TRIGGER.pattern, ANNOTATION.pattern, LATIN_MOJIBAKE, rare_pair(model).pattern.removeprefix("(?V1)")]
    return regex.compile("(?V1)" + "|".join(f"(?:{p})" for p in parts))


def is_suspect(text: str, model: CharModel) -> bool:
    return suspect_pattern(model).search(text) is not None
