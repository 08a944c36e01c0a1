"""The "normalize" stage: explicit, opt-in normalisations. Nothing is on by default.

Options (each off unless given):
  unicode      "NFC" or "NFKC"
  width        fullwidth ASCII letters, digits and symbols -> ASCII (Ａ１＃ -> A1#); the
               sentence punctuation ，。！？：；（） is the `punctuation` option's business
  punctuation  a locale: "zh-Hans" (“” quotes), "zh-Hant"/"zh-TW"/"zh-HK"/"ja" (「」 quotes);
               ASCII , ; : ? ! ( ) next to CJK characters become their fullwidth forms
  spaces       NBSP and other odd spaces -> " "; zero-width spaces and stray BOMs removed
  newlines     CRLF, CR, NEL, U+2028/2029 -> "\n"
Each option is applied in turn, so a Change's span indexes the text left by the options
before it.
"""
from __future__ import annotations

import re
import unicodedata
from functools import partial
from typing import Callable, Iterable

from ..document import Document, Edit

UNICODE_FORMS = ("NFC", "NFKC")
LOCALES = ("zh-Hans", "zh-Hant", "zh-TW", "zh-HK", "ja")

# Fullwidth forms of ASCII (U+FF01..FF5E) minus the sentence punctuation CJK text uses.
_SENTENCE_PUNCTUATION = "！，．：；？（）"
_FULLWIDTH = re.compile(
    "[" + "".join(chr(c) for c in range(0xFF01, 0xFF5F) if chr(c) not in _SENTENCE_PUNCTUATION) + "]+"
)
_CJK = r"\u2e80-\u2fdf\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_TO_FULLWIDTH_PUNCTUATION = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
# ASCII punctuation right after a CJK character (not before a digit: 1:2 stays).
_ASCII_PUNCTUATION_IN_CJK = re.compile(rf"(?<=[{_CJK}])[,;:?!](?![0-9])")
# A bracket pair on one line, converted as a pair when it holds or follows CJK text.
_PARENTHESES = re.compile(r"\(([^()\n]*)\)")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_QUOTES = {
    "zh-Hans": {"「": "“", "」": "”", "『": "‘", "』": "’"},
    "corner": {"“": "「", "”": "」", "‘": "『", "’": "』"},
}
# Curly quotes touching CJK text (English apostrophes elsewhere are left alone).
_CURLY_QUOTE_BY_CJK = re.compile(rf"(?<=[{_CJK}])[“”‘’]|[“”‘’](?=[{_CJK}])")
_CORNER_QUOTE = re.compile("[「」『』]")
# Odd spaces: NBSP, en/em/thin/hair..., narrow NBSP, medium math space. The ideographic
# space U+3000 is ordinary CJK typography and stays.
_ODD_SPACE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f]")
# Zero-width space, word joiner, and a BOM anywhere but at the very start.
_ZERO_WIDTH = re.compile("[\u200b\u2060]|(?<!^)\ufeff")
_NEWLINE = re.compile("\r\n|[\r\u0085\u2028\u2029]")


FLAGS = ("nfc", "nfkc", "width", "spaces", "newlines", *(f"punctuation={locale}" for locale in LOCALES))


def options_from_flags(flags: Iterable[str]) -> dict[str, object]:
    """NormalizeStage options from CLI words: nfc|nfkc|width|spaces|newlines|punctuation=LOCALE."""
    options: dict[str, object] = {}
    for flag in flags:
        name, _, value = flag.lower().partition("=")
        if name in ("nfc", "nfkc") and not value:
            options["unicode"] = name.upper()
        elif name in ("width", "spaces", "newlines") and not value:
            options[name] = True
        elif name == "punctuation" and value:
            options["punctuation"] = next((loc for loc in LOCALES if loc.lower() == value), value)
        else:
            raise ValueError(f"unknown normalisation {flag!r}; known: {', '.join(FLAGS)}")
    return options


class NormalizeStage:
    name = "normalize"

    def __init__(
        self,
        unicode: str | None = None,
        width: bool = False,
        punctuation: str | None = None,
        spaces: bool = False,
        newlines: bool = False,
    ):
        if unicode is not None and unicode not in UNICODE_FORMS:
            raise ValueError(f"unicode must be one of {UNICODE_FORMS}, not {unicode!r}")
        if punctuation is not None and punctuation not in LOCALES:
            raise ValueError(f"punctuation must be one of {LOCALES}, not {punctuation!r}")
        self.steps: list[tuple[str, Callable[[str], list[Edit]]]] = []
        if newlines:
            self.steps.append(("newlines", _newline_edits))
        if spaces:
            self.steps.append(("spaces", _space_edits))
        if unicode:
            self.steps.append((unicode, partial(_unicode_edits, form=unicode)))
        if width:
            self.steps.append(("width", _width_edits))
        if punctuation:
            self.steps.append(("punctuation", partial(_punctuation_edits, locale=punctuation)))

    def __call__(self, doc: Document) -> Document:
        for _, edits in self.steps:
            doc.apply(self.name, edits(doc.text))
        return doc


def _newline_edits(text: str) -> list[Edit]:
    return [Edit(m.start(), m.end(), "\n", "line ending") for m in _NEWLINE.finditer(text)]


def _space_edits(text: str) -> list[Edit]:
    edits = [Edit(m.start(), m.end(), " ", f"odd space U+{ord(m[0]):04X}") for m in _ODD_SPACE.finditer(text)]
    edits += [Edit(m.start(), m.end(), "", f"zero-width U+{ord(m[0]):04X}") for m in _ZERO_WIDTH.finditer(text)]
    return edits


def _unicode_edits(text: str, form: str) -> list[Edit]:
    """One edit per changed line, trimmed to the part that changes."""
    if unicodedata.is_normalized(form, text):
        return []
    edits, offset = [], 0
    for line in text.splitlines(keepends=True):
        normal = unicodedata.normalize(form, line)
        if normal != line:
            head = _common_prefix(line, normal)
            tail = _common_prefix(line[head:][::-1], normal[head:][::-1])
            edits.append(Edit(offset + head, offset + len(line) - tail, normal[head : len(normal) - tail], form))
        offset += len(line)
    return edits


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _width_edits(text: str) -> list[Edit]:
    return [
        Edit(m.start(), m.end(), "".join(chr(ord(c) - 0xFEE0) for c in m[0]), "fullwidth ASCII")
        for m in _FULLWIDTH.finditer(text)
    ]


def _punctuation_edits(text: str, locale: str) -> list[Edit]:
    reason = f"{locale} punctuation"
    edits = [
        Edit(m.start(), m.end(), _TO_FULLWIDTH_PUNCTUATION[m[0]], reason)
        for m in _ASCII_PUNCTUATION_IN_CJK.finditer(text)
    ]
    for m in _PARENTHESES.finditer(text):
        if _CJK_CHAR.search(m[1]) or (m.start() and _CJK_CHAR.match(text[m.start() - 1])):
            edits += [Edit(m.start(), m.start() + 1, "（", reason), Edit(m.end() - 1, m.end(), "）", reason)]
    if locale == "zh-Hans":
        quotes, pattern = _QUOTES["zh-Hans"], _CORNER_QUOTE
    else:
        quotes, pattern = _QUOTES["corner"], _CURLY_QUOTE_BY_CJK
    edits += [Edit(m.start(), m.end(), quotes[m[0]], reason) for m in pattern.finditer(text)]
    return edits
