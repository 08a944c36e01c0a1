"""Fixer: UTF-8 characters lost whole, shown as a damage pattern between CJK characters.

A UTF-8 character with one byte replaced by `?` decodes to `?��`, `�?�` or `��?` (the other
bytes become replacement marks and their values are gone): exactly one character was there.
The character model proposes it from both neighbours and is trusted only by a clear margin
over every other character; otherwise the pattern becomes one U+FFFD, one mark for one lost
character. (A bare `?` between CJK characters is left alone: in NFKC-folded text it is as
often a real question mark.)
"""
from __future__ import annotations

import heapq
from functools import lru_cache

import regex

from ..document import Edit
from .model import BOL, CharModel
from .reencode import CJK_CLASS as CJK, other_scripts

# A UTF-8 character with a byte replaced: three marks (`?��`, `�?�`, `��?`) are that pattern
# wherever they stand; two (`�?`, `?�`) only after a CJK character or CJK punctuation (and maybe
# a space), since elsewhere `�?` is as likely a lost character and a real question mark.
UTF8_LOST = regex.compile(
    r"(?<![\ufffd?])(?:\?\ufffd\ufffd|\ufffd\?\ufffd|\ufffd\ufffd\?)(?![\ufffd?])"
    rf"|(?<=(?:{CJK}|[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]) ?)(?:\?\ufffd|\ufffd\?)(?={CJK}|\s|[^\P{{P}}?]|$)"
)
# How much better the best character must fit than the runner-up.
GUESS_MARGIN = 3.0
CANDIDATES = 3000  # the most frequent CJK characters are the candidates


@lru_cache(maxsize=1)
def _candidates(model: CharModel) -> tuple[str, ...]:
    cjk = sorted((c for c in model.characters() if regex.fullmatch(CJK, c)), key=model.count, reverse=True)
    return tuple(cjk[:CANDIDATES])


def _best(model: CharModel, before: str, after: str, avoid: frozenset[str]) -> tuple[str, float, float]:
    """(best character, its fit, margin over the runner-up) between two neighbours, among the
    characters of the document's own script (`avoid`: see other_scripts)."""
    logp = model.logp
    (fit, ch), (runner_up, _) = heapq.nlargest(
        2, ((logp(before, c) + logp(c, after), c) for c in _candidates(model) if c not in avoid))
    return ch, fit, fit - runner_up


def find_lost_utf8_char_edits(text: str, model: CharModel) -> list[Edit]:
    edits = []
    avoid = None
    for m in UTF8_LOST.finditer(text):
        if avoid is None:
            avoid = other_scripts(text)
        before, after = text[m.start() - 1] if m.start() else BOL, text[m.end() : m.end() + 1]
        ch, _, margin = _best(model, before, after, avoid)
        if margin >= GUESS_MARGIN:
            edits.append(Edit(m.start(), m.end(), ch, "lost-char-utf-8", min(0.9, margin / (margin + 5.0))))
        elif m.group() != "\ufffd":
            edits.append(Edit(m.start(), m.end(), "\ufffd", "lost-char-utf-8: one mark for one character", 0.9))
    return edits
