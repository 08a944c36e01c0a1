"""Fixer: HTML character references left in extracted plain text (`&nbsp;`, `&#20013;`).

Only in text that holds no markup: where tags remain, the text is HTML and its references
are meant (the same rule as ftfy's `unescape_html="auto"`). And only where the text shows
residue (`&nbsp;`, or two numeric references): `&lt;b&gt;` or one `&#234;` may be a text
about HTML.
"""
from __future__ import annotations

import html
import re
from html.entities import html5

from ..document import Edit
from .model import CharModel

REFERENCE = re.compile(r"&(?:#[0-9]{2,7}|#[xX][0-9a-fA-F]{2,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
MARKUP = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")


def find_entity_edits(text: str, model: CharModel) -> list[Edit]:
    if "&" not in text or MARKUP.search(text):
        return []
    refs = [m for m in REFERENCE.finditer(text) if m.group()[1] == "#" or m.group()[1:] in html5]
    # `&nbsp;` or several numeric references are residue; `&lt;b&gt;` or one `&#234;` may be a
    # text about HTML
    numeric = sum(m.group()[1] == "#" for m in refs)
    if numeric < 2 and not any(m.group() == "&nbsp;" for m in refs):
        return []
    edits = []
    for m in refs:
        ref = m.group()
        char = html.unescape(ref)
        if char != ref and (char.isprintable() or char in "\u00a0\t"):
            edits.append(Edit(m.start(), m.end(), char, "html-entity", 0.95))
    return edits
