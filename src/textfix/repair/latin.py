"""Fixer: Latin mojibake through ftfy's own encoding repair, so ftfy's judgement is kept.

Only `fix_encoding` runs (with ftfy's badness gate first): none of ftfy's normalisations
(width, NFKC, quote uncurling) touch the text, so `，` stays `，`.
"""
from __future__ import annotations

import difflib

from ..document import Edit


def find_latin_edits(text: str) -> list[Edit]:
    from ftfy import fix_encoding
    from ftfy.badness import is_bad

    if not is_bad(text):
        return []
    fixed = fix_encoding(text)
    if fixed == text:
        return []
    edits = []
    matcher = difflib.SequenceMatcher(None, text, fixed, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            edits.append(Edit(i1, i2, fixed[j1:j2], "latin-mojibake (ftfy.fix_encoding)", 0.9))
    return edits
