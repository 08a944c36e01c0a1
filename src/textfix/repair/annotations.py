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
from .reencode import other_scripts

# a pinyin syllable's letters, and those of them that carry a tone mark
SYLLABLE = "[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]"
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
ANNOTATION = regex.compile(rf"(?<=(\p{{Han}}))\(({SYLLABLE}{{1,7}})\)")
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
    # an annotation that lost a byte of its tone mark (`转(zhu?n)`) reads as the character too
    damaged = [m for m in DAMAGED_ANNOTATION.finditer(text) if _reads_as_damaged(m.group(1), m.group(2))]
    # a lost character that kept its annotation (`?(shù)据`), or lost the `(` with it (`??shù)`),
    # is the converter's pattern too: nobody writes either
    lost = list(LOST_ANNOTATED.finditer(text))
    if len(matches) + len(damaged) + len(lost) < MIN_PATTERN:
        matches = [(m, syl) for m, syl in matches if _unglossable(m.group(1), model)]
    edits = [
        Edit(m.start(), m.end(), "", "pinyin-annotation", 0.95)
        for m, syllable in matches
        if not _discussed(text, m.start(), m.end(), syllable)
    ]
    if damaged and (matches or lost or len(damaged) >= MIN_PATTERN):
        edits += [Edit(m.start(2), m.end(), "", "pinyin-annotation, its tone mark lost", 0.8) for m in damaged]
    if lost:
        pattern = bool(matches or damaged) or len(lost) >= MIN_PATTERN
        if pattern or _after_hanzi(text, lost):
            # a reading often has a simplified and a traditional character: any lean decides
            avoid = other_scripts(text, majority=1)
            edits += [e for e in (_restore_lost(text, m, model, avoid, pattern) for m in lost) if e]
    return edits


# A lost character (after a hanzi) followed by the annotation the converter gave it, or by the
# annotation without its `(`, swallowed as the trail of the lost character's lead byte.
LOST_ANNOTATED = regex.compile(rf"(?:(?<=\p{{Han}})\?\?|[?\ufffd]\()({SYLLABLE}{{1,7}})\)")
# An annotation whose toned vowel (two bytes in GBK) lost a byte and became `?`.
DAMAGED_ANNOTATION = regex.compile(r"(?<=(\p{Han}))(\([a-zü]{0,6}\?[a-zü]{0,6}\))")
# How much better the best character with the annotation's reading must fit than the next.
READING_MARGIN = 1.0


def _reads_as_damaged(ch: str, annotation: str) -> bool:
    """`annotation` (`(zhu?n)`) is a reading of `ch` with its toned vowel lost."""
    head, _, tail = annotation[1:-1].partition("?")
    return any(len(r) == len(head) + len(tail) + 1 and r.startswith(head) and r.endswith(tail)
               and r[len(head)] in TONED for r in readings(ch))


def _after_hanzi(text: str, lost: list[regex.Match]) -> bool:
    """Every lost character stands after a hanzi: `一?(gè)域` is converter damage even alone."""
    return all(m.start() and HAN.match(text[m.start() - 1]) for m in lost)


def _restore_lost(text: str, m: regex.Match, model: CharModel, avoid: frozenset[str], pattern: bool) -> Edit | None:
    """The lost character is one of those the annotation reads as (in the document's script),
    the one that fits its neighbours best when it does so clearly; else, in a document with the
    converter's pattern, only the annotation goes (after a `?(`; a `??` without it stays)."""
    syllable = unicodedata.normalize("NFC", m.group(1))
    before = text[m.start() - 1] if m.start() else ""
    after = text[m.end()] if m.end() < len(text) else ""
    fits = sorted(
        ((model.logp(before, c) + (model.logp(c, after) if after else 0.0), c) for c in _reading_index(model).get(syllable, ()) if c not in avoid),
        reverse=True,
    )
    if fits and (len(fits) == 1 or fits[0][0] - fits[1][0] >= READING_MARGIN):
        margin = fits[0][0] - fits[1][0] if len(fits) > 1 else 10.0
        return Edit(m.start(), m.end(), fits[0][1], "pinyin-annotation: lost character restored from its reading",
                    min(0.9, margin / (margin + 3.0)))
    if not pattern or text[m.start() + 1] != "(":
        return None
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
