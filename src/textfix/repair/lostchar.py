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
from .model import BOL, EOL, SKIP_REACH, SKIP_WEIGHT, CharModel, load_skip_model
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
# A character the page itself has in the same place (a name, a term it repeats) gains this
# much per time seen, up to the cap.
SEEN_GAIN = 4.0
SEEN_COUNT_CAP = 2


@lru_cache(maxsize=1)
def _candidates(model: CharModel) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The candidate characters, most frequent first, and their unigram log-probabilities."""
    cjk = sorted((c for c in model.characters() if regex.fullmatch(CJK, c)), key=model.count, reverse=True)
    chars = tuple(cjk[:CANDIDATES])
    return chars, tuple(map(model.unigram_logp, chars))


def guess(model: CharModel, text: str, start: int, end: int, avoid: frozenset[str]) -> tuple[str, float]:
    """(likeliest character, its margin over the runner-up) for the one character lost in
    text[start:end], from two characters either side (BOL/EOL beyond the text) and what the
    page has in the same place, among the characters of the document's script (`avoid`:
    see other_scripts)."""
    context = (BOL * 2 + text[max(0, start - 2) : start])[-2:] + "\ufffd" + (text[end : end + 2] + EOL * 2)[:2]
    return _best(model, context, avoid, _seen_in(text, context))


def _best(model: CharModel, context: str, avoid: frozenset[str], seen: dict[str, int]) -> tuple[str, float]:
    """(best character, margin over the runner-up) for the middle of the five characters
    `context`; `seen`: characters the page has in the same place, with how often."""
    before2, before, _, after, after2 = context
    chars, priors = _candidates(model)
    extra = [c for c in seen if c not in chars]
    chars, priors = [*chars, *extra], [*priors, *map(model.unigram_logp, extra)]
    fits = {c: fit + SEEN_GAIN * min(seen.get(c, 0), SEEN_COUNT_CAP)
            for c, fit in zip(chars, model.around_logps(before, chars, after, priors)) if c not in avoid}
    # the characters two places away move a fit by a few nats: only those near the top can win
    first, second = heapq.nlargest(2, fits.values())
    reach = min(first - SKIP_REACH, second)
    skip = load_skip_model().association
    (fit, ch), (runner_up, _) = heapq.nlargest(2, (
        (fit + SKIP_WEIGHT * (skip(before2, c) + skip(c, after2)), c) for c, fit in fits.items() if fit >= reach))
    return ch, fit - runner_up


def _seen_in(text: str, context: str) -> dict[str, int]:
    """The CJK characters `text` has in the place of the middle of `context` (five characters):
    between the same two neighbours, or after the same two, or before the same two; with how
    often (`克雷?��总统` on a page that writes 克雷库 elsewhere)."""
    before2, before, _, after, after2 = map(regex.escape, context)
    found: dict[str, int] = {}
    for pattern in (f"{before}({CJK}){after}", f"{before2}{before}({CJK})", f"({CJK}){after}{after2}"):
        for m in regex.finditer(pattern, text, overlapped=True):
            found[m.group(1)] = found.get(m.group(1), 0) + 1
    return found


def find_lost_utf8_char_edits(text: str, model: CharModel) -> list[Edit]:
    edits = []
    avoid = None
    for m in UTF8_LOST.finditer(text):
        if avoid is None:
            avoid = other_scripts(text)
        ch, margin = guess(model, text, m.start(), m.end(), avoid)
        if margin >= GUESS_MARGIN:
            edits.append(Edit(m.start(), m.end(), ch, "lost-char-utf-8", min(0.9, margin / (margin + 5.0))))
        elif m.group() != "\ufffd":
            edits.append(Edit(m.start(), m.end(), "\ufffd", "lost-char-utf-8: one mark for one character", 0.9))
    return edits
