"""Remove `字(zì)` pinyin annotations that a broken converter inserted after characters.

An annotation is removed only when (1) its syllable is a reading of the character before it and
(2) the document shows the converter's pattern: several such annotations, or one on a character
too common for anyone to gloss.
An annotation that the text itself discusses (`“行(háng)”字在这里读作háng`) is kept.
"""
from __future__ import annotations

import unicodedata

import regex

from ..document import Edit
from .model import CharModel
from .pinyin import readings

ANNOTATION = regex.compile(
    r"(?<=(\p{Han}))\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,7})\)"
)
# How many reading-matching annotations make a document a converter's output. Fewer count
# only where no writer would gloss: a very common character, or a fairly common one with a
# single reading (writers gloss rare characters and ambiguous ones).
MIN_PATTERN = 2
COMMON_CHAR_COUNT = 100_000
PLAIN_CHAR_COUNT = 20_000
QUOTES_OPEN = "“「『‘\"'《"
QUOTES_CLOSE = "”」』’\"'》"


def _discussed(text: str, start: int, end: int, syllable: str) -> bool:
    """The annotation is the topic of its sentence: quoted, or its syllable recurs nearby."""
    if start >= 2 and text[start - 2] in QUOTES_OPEN and end < len(text) and text[end] in QUOTES_CLOSE:
        return True
    window = text[max(0, start - 40) : start - 1] + " " + text[end : end + 40]
    bare = _toneless(syllable)
    # a mention outside parentheses: other annotations of the same syllable do not count
    for form in {syllable, bare}:
        if len(form) > 1 and regex.search(rf"(?<![(\p{{L}}]){form}(?![)\p{{L}}])", window):
            return True
    return False


def _toneless(syllable: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", syllable) if not unicodedata.combining(c))


def _reads_as(ch: str, syllable: str) -> bool:
    """`syllable` is a reading of `ch`; an unmarked syllable may be its neutral tone (个 ge)."""
    options = readings(ch)
    if syllable in options:
        return True
    return syllable == _toneless(syllable) and any(_toneless(r) == syllable for r in options)


def _unglossable(ch: str, model: CharModel) -> bool:
    count = model.count(ch)
    return count >= COMMON_CHAR_COUNT or (count >= PLAIN_CHAR_COUNT and len(readings(ch)) == 1)


def find_annotation_edits(text: str, model: CharModel) -> list[Edit]:
    if "(" not in text:
        return []
    matches = []
    for m in ANNOTATION.finditer(text):
        syllable = unicodedata.normalize("NFC", m.group(2))
        if _reads_as(m.group(1), syllable):
            matches.append((m, syllable))
    if len(matches) < MIN_PATTERN:
        matches = [(m, syl) for m, syl in matches if _unglossable(m.group(1), model)]
    return [
        Edit(m.start(), m.end(), "", "pinyin-annotation", 0.95)
        for m, syllable in matches
        if not _discussed(text, m.start(), m.end(), syllable)
    ]
