"""What counts as "the same text": matching normalisation, tokens, and exact-duplicate keys.

Normalisation erases differences a reader does not see as another document: width and
compatibility forms (NFKC), case, punctuation/symbols/spacing (mirrors re-punctuate
freely: 、 vs , ; “” vs "") and which digits a date or counter shows. Tokens fit the
script: every CJK ideograph or kana is one token (those scripts put no spaces between
words); every run of other letters (Latin, Hangul, Cyrillic ...) between separators is
one word token, so mixed documents need no language detection.

Two documents are exact duplicates when their token sequences are equal; the same
tokens feed the MinHash shingles (minhash.py), so both agree on what "the same" means.
Everything after `fold` runs vectorised over a whole batch of documents: per-character
Python is what makes shingling slow.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Sequence

import numpy as np
import xxhash

WORD, SEPARATOR, DIGIT, SINGLE = 0, 1, 2, 3
_SEPARATOR_CATEGORIES = {"Cc", "Cf"}
_TABLE_END = 0x30000  # above: ideograph extensions G+ (tokens) or tags/private use (separators)

_U64 = np.uint64
_BASE = _U64(0x100000001B3)  # polynomial base combining the letters of a word
_MAX_WORD_POSITION = 64  # letters past this position wrap around the power table
with np.errstate(over="ignore"):
    _POWERS = np.cumprod(np.r_[_U64(1), np.full(_MAX_WORD_POSITION - 1, _BASE, dtype=_U64)], dtype=_U64)
_EXACT_SEED = 0x7E47_F1C5


def fold(text: str) -> str:
    """NFKC (full/half width, compatibility forms) then casefold."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.casefold()


def _is_single_token_block(cp: int) -> bool:
    """CJK radicals .. unified ideographs incl. kana, compatibility ideographs, extensions B+."""
    return 0x2E80 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or cp >= 0x20000


def _composes_with_neighbours(cp: int, category: str) -> bool:
    """Marks and conjoining jamo: NFKC may merge them with the previous character."""
    return category[0] == "M" or 0x1100 <= cp <= 0x11FF or 0xA960 <= cp <= 0xA97F or 0xD7B0 <= cp <= 0xD7FF


@lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per code point below 0x30000: its one-character `fold`, whether `fold` needs the
    string (expansions like ﬁ -> fi, ß -> ss, and composing marks), and its class."""
    folded = np.arange(_TABLE_END, dtype=np.uint32)
    needs_string = np.zeros(_TABLE_END, dtype=bool)
    classes = np.zeros(_TABLE_END, dtype=np.uint8)
    for cp in range(_TABLE_END):
        char = chr(cp)
        category = unicodedata.category(char)
        one = fold(char)
        if len(one) != 1 or _composes_with_neighbours(cp, category):
            needs_string[cp] = True
        else:
            folded[cp] = ord(one)
        if category[0] in "PSZ" or category in _SEPARATOR_CATEGORIES:
            classes[cp] = SEPARATOR
        elif category == "Nd":
            classes[cp] = DIGIT
        elif category[0] in "LN" and _is_single_token_block(cp):
            classes[cp] = SINGLE
    return folded, needs_string, classes


def _code_points(texts: Sequence[str]) -> np.ndarray:
    # A newline between documents is a separator, so no token spans two documents.
    return np.frombuffer("\n".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _doc_starts(texts: Sequence[str]) -> np.ndarray:
    starts = np.zeros(len(texts), dtype=np.int64)
    if len(texts) > 1:
        starts[1:] = np.cumsum([len(t) + 1 for t in texts[:-1]])
    return starts


def _lookup(table: np.ndarray, cp: np.ndarray, above: int | bool) -> np.ndarray:
    return np.where(cp < _TABLE_END, table[np.minimum(cp, _TABLE_END - 1)], above)


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads polynomial sums over all 64 bits."""
    x = x ^ (x >> _U64(30))
    x = x * _U64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> _U64(27))
    x = x * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


def tokenize(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of every token of every document, flat, with the doc index of each token.

    A token's hash depends only on its `fold`ed letters, digits all read as 0. Folding is
    a table lookup per code point; only documents with characters whose fold needs the
    string (rare outside decomposed text) go through `fold` first.
    """
    folded_table, needs_string, classes = _tables()
    texts = list(texts)
    cp = _code_points(texts)
    doc_starts = _doc_starts(texts)
    slow = np.flatnonzero(_lookup(needs_string, cp, False))
    if len(slow):
        for doc in np.unique(np.searchsorted(doc_starts, slow, side="right") - 1).tolist():
            texts[doc] = fold(texts[doc])
        cp = _code_points(texts)
        doc_starts = _doc_starts(texts)
    cp = _lookup(folded_table, cp, cp)
    cls = _lookup(classes, cp, np.where(cp < 0x40000, SINGLE, SEPARATOR))
    is_separator = cls == SEPARATOR
    single = cls == SINGLE
    breaks_after = is_separator | single
    token_start = ~is_separator & (single | np.r_[True, breaks_after[:-1]])
    kept = ~is_separator
    chars = np.where(cls == DIGIT, ord("0"), cp)[kept].astype(_U64)
    kept_starts = token_start[kept]
    starts = np.flatnonzero(kept_starts)
    if not len(starts):
        return np.zeros(0, dtype=_U64), np.zeros(0, dtype=np.int64)
    # Position of each letter inside its word, for an order-sensitive word hash.
    token_of_char = np.cumsum(kept_starts) - 1
    position = np.arange(len(chars)) - starts[token_of_char]
    with np.errstate(over="ignore"):
        weighted = (chars + _U64(1)) * _POWERS[position % _MAX_WORD_POSITION]
        tokens = mix64(np.add.reduceat(weighted, starts))
    token_doc = np.searchsorted(doc_starts, np.flatnonzero(token_start), side="right") - 1
    return tokens, token_doc


def exact_keys(tokens: np.ndarray, token_doc: np.ndarray, n_docs: int) -> list[int | None]:
    """Per document: 64-bit key of its token sequence, None for a document with no token.

    Collision odds are ~N²/2⁶⁵ (3e-8 for a million documents).
    """
    bounds = np.searchsorted(token_doc, np.arange(n_docs + 1))
    data = tokens.tobytes()
    keys: list[int | None] = []
    for start, end in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        keys.append(xxhash.xxh3_64_intdigest(data[start * 8 : end * 8], seed=_EXACT_SEED) if end > start else None)
    return keys
