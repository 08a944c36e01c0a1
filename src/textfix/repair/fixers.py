"""The registry of repair fixers, in the order they run. A fixer is `(text, model) -> [Edit]`;
a new one is one module plus one line here."""
from __future__ import annotations

from typing import Callable

from ..document import Edit
from .annotations import find_annotation_edits
from .crosscopy import find_crosscopy_edits
from .entities import find_entity_edits
from .latin import find_latin_edits
from .lostchar import find_lost_utf8_char_edits
from .model import CharModel
from .reencode import find_reencode_edits
from .resync_fixer import find_resync_edits

Fixer = Callable[[str, CharModel], list[Edit]]

FIXERS: dict[str, Fixer] = {
    # whole-run codec chains first: a misread UTF-8 run also shows lost marks, which the byte
    # search would otherwise take for GBK damage; and ftfy's piecewise fixes would break it apart
    "codec-chain": find_reencode_edits,
    # an intact copy of the same paragraph elsewhere in the page beats any model's guess
    "cross-copy": find_crosscopy_edits,
    # UTF-8 characters that lost a byte (`?��`): before the GBK byte search, which would
    # read the marks as GBK damage
    "lost-char-utf-8": find_lost_utf8_char_edits,
    # byte-level damage next: it hides annotations inside garbled text
    "byte-resync": find_resync_edits,
    "pinyin-annotation": find_annotation_edits,
    "latin-mojibake": lambda text, model: find_latin_edits(text),
    "html-entity": find_entity_edits,
}
