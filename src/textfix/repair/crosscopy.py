"""Fixer: restore characters lost in one copy of a paragraph from another copy in the document.

Web pages scraped twice carry the article twice with different damage. Where a line still holds
replacement marks after every other fixer, a near-identical line elsewhere in the document that
is intact at that place supplies the text.
"""
from __future__ import annotations

import difflib

from ..document import Edit
from .model import CharModel
from .resync import LOST

MIN_LINE = 12
MIN_SIMILARITY = 0.6
MIN_GAIN = 4.0


def _grams(line: str) -> set[str]:
    return {line[i : i + 3] for i in range(len(line) - 2)}


def _damaged(line: str) -> bool:
    return any(
        ch in LOST and ((i and ord(line[i - 1]) > 0x7F) or (i + 1 < len(line) and ord(line[i + 1]) > 0x7F))
        for i, ch in enumerate(line)
    )


def find_crosscopy_edits(text: str, model: CharModel) -> list[Edit]:
    lines = text.split("\n")
    damaged = [i for i, line in enumerate(lines) if len(line) >= MIN_LINE and _damaged(line)]
    if not damaged:
        return []
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    grams = {i: _grams(line) for i, line in enumerate(lines) if len(line) >= MIN_LINE}
    edits = []
    for i in damaged:
        mine = grams[i]
        best, best_sim = None, MIN_SIMILARITY
        for j, theirs in grams.items():
            if j == i:
                continue
            sim = len(mine & theirs) / max(1, len(mine | theirs))
            if sim >= best_sim:
                best, best_sim = j, sim
        if best is None:
            continue
        line, other = lines[i], lines[best]
        matcher = difflib.SequenceMatcher(None, line, other, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            ours, theirs = line[i1:i2], other[j1:j2]
            # take the other copy only where ours holds lost marks, theirs none, and theirs reads
            # clearly better in this very context
            if not (ours and theirs and any(c in LOST for c in ours)) or any(c in LOST for c in theirs):
                continue
            prev = line[i1 - 1] if i1 else ""
            nxt = line[i2] if i2 < len(line) else ""
            if model.score(theirs + nxt, prev) - model.score(ours + nxt, prev) >= MIN_GAIN:
                edits.append(Edit(offsets[i] + i1, offsets[i] + i2, theirs, "cross-copy", 0.9))
    return edits
