"""Remove `字(zì)` pinyin annotations that a broken converter inserted after characters.

An annotation is removed only when (1) its syllable is a reading of the character before it and
(2) the document shows the converter's pattern: several such annotations, or one on a character
too common for anyone to gloss.
An annotation that the text itself discusses (`“行(háng)”字在这里读作háng`) is kept.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

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
    # a lost character that kept its annotation (`?(shù)据`) is the converter's pattern too
    lost = list(LOST_ANNOTATED.finditer(text))
    if len(matches) + len(lost) < MIN_PATTERN:
        matches = [(m, syl) for m, syl in matches if _unglossable(m.group(1), model)]
    edits = [
        Edit(m.start(), m.end(), "", "pinyin-annotation", 0.95)
        for m, syllable in matches
        if not _discussed(text, m.start(), m.end(), syllable)
    ]
    if lost and (matches or len(lost) >= MIN_PATTERN):
        edits += [_restore_lost(text, m, model) for m in lost]
    return edits


# A lost character followed by the annotation the converter gave it.
LOST_ANNOTATED = regex.compile(r"[?\ufffd]\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,7})\)")
# How much better the best character with the annotation's reading must fit than the next.
READING_MARGIN = 1.0


def _restore_lost(text: str, m: regex.Match, model: CharModel) -> Edit:
    """The lost character is one of those the annotation reads as, the one that fits its
    neighbours best when it does so clearly; else only the annotation goes."""
    syllable = unicodedata.normalize("NFC", m.group(1))
    before = text[m.start() - 1] if m.start() else ""
    after = text[m.end()] if m.end() < len(text) else ""
    fits = sorted(
        ((model.logp(before, c) + (model.logp(c, after) if after else 0.0), c) for c in _reading_index(model).get(syllable, ())),
        reverse=True,
    )
    if fits and (len(fits) == 1 or fits[0][0] - fits[1][0] >= READING_MARGIN):
        margin = fits[0][0] - fits[1][0] if len(fits) > 1 else 10.0
        return Edit(m.start(), m.end(), fits[0][1], "pinyin-annotation: lost character restored from its reading",
                    min(0.9, margin / (margin + 3.0)))
    return Edit(m.start() + 1, m.end(), "", "pinyin-annotation", 0.9)


# Characters seen at least this often are the candidates for a reading.
READING_CANDIDATE_COUNT = 100


@lru_cache(maxsize=1)
def _reading_index(model: CharModel) -> dict[str, tuple[str, ...]]:
    """Reading (tone marks, and toneless for the neutral tone) -> the characters with it."""
    index: dict[str, list[str]] = {}
    for ch in model.characters():
        if len(ch) == 1 and HAN.match(ch) and model.count(ch) >= READING_CANDIDATE_COUNT:
            for reading in readings(ch):
                index.setdefault(reading, []).append(ch)
                index.setdefault(_toneless(reading), []).append(ch)
    return {reading: tuple(dict.fromkeys(chars)) for reading, chars in index.items()}


HAN = regex.compile(r"\p{Han}")
