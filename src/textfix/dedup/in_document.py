"""The `dedup-in-doc` stage: keep one copy of each repeated line or paragraph of a document.

Scraped pages often hold the article twice (print and screen versions, a second scrape), or
repeat the title and single lines. A later line is a copy of an earlier kept one when they
share most of their character n-grams (containment, both ways) after normalisation that
ignores the damage copies differ by (converter annotations, `?`, U+FFFD, punctuation,
spacing); exact hashes would miss copies with a few edits. Of two copies the earlier
position stays, holding whichever text is less damaged (the earlier one on a tie), so
nothing of the article is lost. A second copy cut into paragraphs differently goes too,
line by line, when each of its lines is found almost whole in the earlier text.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from itertools import accumulate
from operator import sub

import numpy as np

from ..boilerplate.features import width
from ..boilerplate.lines import ANNOTATION, line_table, nfkc, removal_edits
from ..document import Document, Edit

MIN_KEY_LEN = 4  # shorter lines (`01`, `是。`) repeat legitimately
SHORT_SENTENCE = 16  # display width (CJK 2): short sentences (`刘晔:对。`, `Thank you.`) recur in dialogue
_SENTENCE_END = re.compile(r"[。!?！？.…][\"'”’」』)）]*\s*$")
RECUT = ("piece-of-earlier-line", "joined-earlier-lines")
PIECE_CONTAINMENT = 0.8  # a re-cut paragraph must be found almost whole in the earlier text
PIECE_MIN_NGRAMS = 20  # and be long enough not to be a phrase the article repeats
PIECE_RATIO = 1.4  # ... of an earlier line clearly longer than the piece
JOIN_GAIN = 0.05  # each line a joined paragraph is made of adds this much of it
COMMON_NGRAM = 64  # an anchor of more kept lines than this is too common to find copies by
MIN_ANCHORS = 3

_NOISE = re.compile(r"[\W_\ufffd\ue000-\uf8ff]+")  # punctuation, spacing, `?`, U+FFFD, private use
_LATIN_MOJIBAKE = re.compile(r"[ÃÂâ][\x80-\xbf€™œžŸ¡-¿]|â€")
# a `?` after a question particle or before a space, quote or the line end is punctuation
_REAL_QUESTION = re.compile(r"(?<=[吗呢么嗎麼吧啊乎否])\?|\?(?=[\s\"'”’)]|$)")
_PAIRS = ("“”", "‘’", "「」", "『』", "《》", "【】")
_OPENING, _CLOSING = "".join(pair[0] for pair in _PAIRS), "".join(pair[1] for pair in _PAIRS)
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_SIGNS = re.compile("[?\ufffd\ue000-\uf8ff(ÃÂâ" + "".join(_PAIRS) + "]")
_UTF32 = np.dtype("<u4")  # code points as UTF-32-LE bytes hold them
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it spreads n-gram codes over 64 bits


def comparable_keys(text: str, count: int) -> list[str]:
    """What two copies of a line share whatever damage each took, for the first `count`
    lines of `text` (as `line_table` cuts it): NFKC, no converter annotations, no
    punctuation, spacing, `?`, U+FFFD or private use (`_NOISE`), case folded.

    One pass over the whole text rather than one per line: NFKC and the annotations never
    reach across a line break, and the characters `_NOISE` removes are looked up in a table
    of the code points it matches."""
    text = nfkc(text)
    if "(" in text:
        text = ANNOTATION.sub("", text)
    chars = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=_UTF32)
    try:
        chars = chars[_kept_chars(0x10000)[chars]]
    except IndexError:  # beyond the BMP
        chars = chars[_kept_chars(0x110000)[chars]]
    return chars.tobytes().decode("utf-32-le").casefold().split("\n")[:count]


@lru_cache(maxsize=None)
def _kept_chars(limit: int) -> np.ndarray:
    """For each code point below `limit`: does a key keep it (the line break, and whatever
    `_NOISE` does not remove)?"""
    kept = np.ones(limit, dtype=bool)
    for noise in _NOISE.finditer("".join(map(chr, range(limit)))):
        kept[noise.start() : noise.end()] = False
    kept[ord("\n")] = True
    return kept


def damage(text: str) -> int:
    """Signs of damage a repair leaves where it cannot decide: lost bytes (`?` that is not
    punctuation, U+FFFD), private-use code points from misaligned decoding, converter
    annotations, Latin mojibake, and paired quotes or brackets left unpaired (a lost or
    misdecoded closing mark)."""
    signs = "".join(_SIGNS.findall(text))  # the characters any of them needs, in one scan
    if not signs:
        return 0
    score = sum(map(abs, map(sub, map(signs.count, _OPENING), map(signs.count, _CLOSING))))
    if "?" in signs:
        score += signs.count("?") - len(_REAL_QUESTION.findall(text))
    score += signs.count("\ufffd") + len(_PRIVATE_USE.findall(signs))
    if "(" in signs:
        score += len(ANNOTATION.findall(text))
    if "Ã" in signs or "Â" in signs or "â" in signs:
        score += len(_LATIN_MOJIBAKE.findall(text))
    return score


def ngram_size(keys: list[str]) -> int:
    """One size for the whole document, so two copies of a line always compare alike: CJK
    carries a word in two or three characters, alphabetic text needs longer n-grams. CJK
    characters take three bytes in UTF-8, letters of alphabets one or two: counting bytes
    tells the share without a pass over the characters in Python."""
    sample = "".join(keys[:200])
    wide = (len(sample.encode("utf-8")) - len(sample)) / 2
    return 3 if 2 * wide >= len(sample) else 5


def _ngrams(key: str, n: int) -> set[str]:
    if len(key) <= n:
        return {key}
    return {key[i : i + n] for i in range(len(key) - n + 1)}


class InDocumentDedupStage:
    name = "dedup-in-doc"

    def __init__(
        self,
        containment: float = 0.7,
        reverse_containment: float = 0.5,
        run_containment: float = 0.4,
        isolated_containment: float = 0.8,
    ):
        """Inside a run of copies (the previous line was one) a line is a copy of an earlier
        one when at least `containment` of its n-grams occur in the earlier line and at least
        `reverse_containment` of the earlier line's n-grams occur in it (so a short line
        quoted inside a paragraph is not taken for a copy); resembling the line that follows
        the previous copy's original, `run_containment` both ways is enough (heavy damage in
        one short line). A line that starts a run needs `isolated_containment` both ways:
        templated sentences (`If --range is given twice, ...`) share 80 % of their n-grams."""
        self.containment = containment
        self.reverse_containment = reverse_containment
        self.run_containment = run_containment
        self.isolated_containment = isolated_containment

    def __call__(self, doc: Document) -> Document:
        lines = line_table(doc.text)
        texts, starts = lines
        keys = comparable_keys(doc.text, len(texts))
        size = ngram_size(keys)
        todo = [
            i
            for i, key in enumerate(keys)
            if len(key) >= MIN_KEY_LEN
            and not (len(key) < SHORT_SENTENCE and width(key) < SHORT_SENTENCE and _SENTENCE_END.search(texts[i]))
        ]
        if len(todo) < 2:  # a line is a copy of an earlier one only
            return doc
        grams = _DocGrams(keys, todo, size)
        # a line that starts a run must share `isolated_containment` (or, re-cut,
        # PIECE_CONTAINMENT) of its n-grams with earlier lines: lines with more new ones
        # than the rest are kept without looking for candidates
        novel = grams.novel(1 - min(self.isolated_containment, PIECE_CONTAINMENT))
        if all(novel[1:]) and len(set(keys[i] for i in todo)) == len(todo):
            return doc  # nothing to find: most documents
        kept = _KeptLines(grams)
        exact: dict[str, int] = {}  # key -> slot
        best: dict[int, int] = {}  # kept line index -> index of its least damaged copy
        removed: dict[int, str] = {}
        confidence: dict[int, float] = {}
        run_next = -1  # slot a copied run would continue with
        for j, i in enumerate(todo):
            key = keys[i]
            found = None
            if key in exact:
                found = (exact[key], 1.0, "repeated-line", exact[key] + 1)
            elif run_next >= 0 or not novel[j]:
                line_grams = grams.sets()[j]
                candidates = kept.candidates(grams.anchor_sets()[j])
                if candidates:
                    ways = (self.containment, self.reverse_containment) if run_next >= 0 else (self.isolated_containment,) * 2
                    found = self._near_copy(line_grams, candidates, kept, *ways)
                if found is None and 0 <= run_next < len(kept):
                    overlap = len(line_grams & kept.grams[run_next])
                    if overlap >= self.run_containment * max(len(line_grams), len(kept.grams[run_next])):
                        found = (run_next, overlap / len(line_grams), "near-copy-in-run", run_next + 1)
            if found is None:
                run_next = -1
                exact[key] = kept.add(i, j)
                continue
            slot, score, reason, run_next = found
            removed[i] = reason
            confidence[i] = score
            if reason not in RECUT:  # the same paragraph: keep the better text
                original = kept.index[slot]
                current = best.get(original, original)
                if texts[i] != texts[current] and damage(texts[i]) < damage(texts[current]):
                    best[original] = i
        if not removed:
            return doc
        edits = removal_edits(lines, removed)
        for index, edit in zip(sorted(removed), edits):
            edit.confidence = confidence[index]
        for original, copy in best.items():
            if copy != original:
                start = starts[original]
                edits.append(Edit(start, start + len(texts[original]), texts[copy], f"better-copy-from-line-{copy + 1}"))
        return doc.apply(self.name, edits)

    def _near_copy(
        self, grams: set[str], candidates: set[int], kept: "_KeptLines", containment: float, reverse_containment: float
    ) -> tuple[int, float, str, int] | None:
        """(slot of the earlier line, share of n-grams found, reason, slot a run continues
        with), or None. A copy of one earlier line; else, when the other copy cut the text
        into paragraphs differently, a piece of one earlier line or the join of up to three
        consecutive ones, found almost whole there: nothing is lost by dropping it."""
        need = containment * len(grams)
        whole = part = None
        overlaps = {}
        for slot in candidates:
            earlier = kept.grams[slot]
            overlap = overlaps[slot] = len(grams & earlier)
            if overlap >= need and overlap >= reverse_containment * len(earlier):
                if whole is None or overlap > whole[1]:
                    whole = (slot, overlap)
            elif (
                overlap >= PIECE_CONTAINMENT * len(grams)
                and len(grams) >= PIECE_MIN_NGRAMS
                and len(earlier) >= PIECE_RATIO * len(grams)
            ):
                part = (slot, overlap)
        if whole is not None:
            return whole[0], whole[1] / len(grams), "near-copy", whole[0] + 1
        if part is not None:
            return part[0], part[1] / len(grams), "piece-of-earlier-line", part[0] + 1
        if len(grams) < PIECE_MIN_NGRAMS:
            return None
        # every line of a join is found almost whole in it (a heading quoting half the title
        # and the subtitle is no join) and adds its own part (a templated sentence next to
        # its model adds nothing)
        gain = JOIN_GAIN * len(grams)
        holders = {
            slot
            for slot, overlap in overlaps.items()
            if overlap >= gain and overlap >= PIECE_CONTAINMENT * len(kept.grams[slot])
        }
        for first in sorted(holders):
            covered = grams & kept.grams[first]
            for last in range(first + 1, min(first + 3, len(kept))):
                earlier = kept.grams[last]
                part_found = grams & earlier
                more = covered | part_found
                if len(more) - len(covered) < gain or len(part_found) < PIECE_CONTAINMENT * len(earlier):
                    break
                covered = more
                if len(covered) >= PIECE_CONTAINMENT * len(grams):
                    return first, len(covered) / len(grams), "joined-earlier-lines", last + 1
        return None


class _KeptLines:
    """The lines kept so far, by slot: their n-gram sets, and which share anchors with a line."""

    def __init__(self, grams: "_DocGrams"):
        self.index: list[int] = []  # line index per slot
        self.grams: list[set] = []  # per slot
        self.anchors: list[set] = []  # per slot
        self._doc_grams, self._doc_anchors = grams.sets(), grams.anchor_sets()
        self._postings: dict[object, list[int]] = defaultdict(list)  # anchor -> slots
        self._indexed = 0  # slots in `_postings`

    def add(self, index: int, place: int) -> int:
        """Keep line `index`, the compared line at `place`; its slot."""
        self.index.append(index)
        self.grams.append(self._doc_grams[place])
        self.anchors.append(self._doc_anchors[place])
        return len(self.index) - 1

    def candidates(self, anchors: set) -> set[int]:
        """The slots holding one of `anchors` that at most COMMON_NGRAM kept lines hold."""
        count = len(self.index)
        if count <= COMMON_NGRAM:  # then no anchor is held by more: no index needed
            disjoint = anchors.isdisjoint
            return {slot for slot, held in enumerate(self.anchors) if not disjoint(held)}
        postings = self._postings
        for slot in range(self._indexed, count):
            for gram in self.anchors[slot]:
                postings[gram].append(slot)
        self._indexed = count
        candidates: set[int] = set()
        for gram in anchors:
            slots = postings.get(gram)
            if slots and len(slots) <= COMMON_NGRAM:
                candidates.update(slots)
        return candidates

    def __len__(self) -> int:
        return len(self.index)


class _DocGrams:
    """The n-grams of a document's compared lines (`todo`, indices into `keys`), for all of
    them at once. An n-gram is an integer: its characters side by side, 21 bits each for
    trigrams; for 5-grams 12 bits each, the characters numbered within the document when
    their code points do not fit (a document with more than 4,096 distinct characters
    keeps 5-grams as strings). `novel` needs no sets; they are built only for documents
    where some line may be a copy."""

    def __init__(self, keys: list[str], todo: list[int], n: int):
        self.keys = [keys[i] for i in todo]
        self.n = n
        starts = list(accumulate((len(key) + 1 for key in keys), initial=0))
        self.bounds = [(starts[i], starts[i] + len(keys[i]) - n + 1) for i in todo]  # of whole n-grams
        self.chars = chars = np.frombuffer("\n".join(keys).encode("utf-32-le"), dtype=_UTF32)
        count = len(chars) - n + 1  # places an n-gram starts at (some straddle a line break)
        self.bits = 21 if n == 3 else 12
        numbers = chars.astype(np.uint64)
        if n != 3 and count > 0 and chars.max() >= 1 << 12:
            distinct, inverse = np.unique(chars, return_inverse=True)
            numbers = inverse.astype(np.uint64) if len(distinct) <= 1 << 12 else None
        self.numbers = numbers
        self.codes = None
        if numbers is not None and count > 0:
            self.codes = numbers[:count].copy()
            for k in range(1, n):
                self.codes <<= np.uint64(self.bits)
                self.codes |= numbers[k : k + count]
        self._sets: list[set] | None = None
        self._anchor_sets: list[set] | None = None

    def novel(self, share: float) -> list[bool]:
        """Per compared line: are more than `share` of its n-gram places n-grams found in
        no earlier line (nor earlier in the line)? Such a line is no copy of earlier text.

        One sort of (hash of the n-gram, place): the first of each hash is where its n-gram
        first occurs. Two n-grams sharing a hash only make fewer of them new: the answer may
        be no where it could be yes, never the other way."""
        if self.codes is None:
            return [False] * len(self.bounds)
        count = len(self.codes)
        bits = np.uint64(count.bit_length())
        place = (np.uint64(1) << bits) - np.uint64(1)
        order = self.codes * _MIX
        order &= ~place
        order |= np.arange(count, dtype=np.uint64)
        order.sort()
        hashes = order >> bits
        firsts = order[np.flatnonzero(hashes[1:] != hashes[:-1]) + 1] & place
        first = np.zeros(count + 1, dtype=np.int32)
        first[firsts.astype(np.intp) + 1] = 1
        first[int(order[0] & place) + 1] = 1
        seen = np.cumsum(first).tolist()  # first occurrences before each place
        return [
            stop > start and seen[stop] - seen[start] > share * (stop - start) * (1 + 1e-9)
            for start, stop in self.bounds
        ]

    def sets(self) -> list[set]:
        """The n-gram set of each compared line (`_ngrams`)."""
        if self._sets is None:
            if self.codes is None:
                self._sets = [_ngrams(key, self.n) for key in self.keys]
            else:
                codes = self.codes.tolist()
                self._sets = [set(codes[start:stop]) if stop > start else {self._short(j)} for j, (start, stop) in enumerate(self.bounds)]
        return self._sets

    def _short(self, j: int) -> int:
        """A key shorter than n is its own single n-gram (_ngrams), flagged so that it
        equals no whole n-gram."""
        start = self.bounds[j][0]
        code = 0
        for number in self.numbers[start : start + len(self.keys[j])].tolist():
            code = code << self.bits | number
        return code | 1 << 63

    def anchor_sets(self) -> list[set]:
        """The anchors of each compared line (`_anchors`): the n-grams ending in a character
        `_anchor_pattern` takes, or all n-grams when fewer than MIN_ANCHORS of them do."""
        if self._anchor_sets is None:
            sets = self.sets()
            if self.codes is None:
                self._anchor_sets = [_anchors(key, self.n) for key in self.keys]
                return self._anchor_sets
            last = self.chars[self.n - 1 :]
            where = np.flatnonzero(((last & 3) == 0) & (last >= 0x20) & (last < 0x10000) & ((last < 0xD800) | (last >= 0xE000)))
            codes = self.codes[where].tolist()
            bounds = np.searchsorted(where, np.array(self.bounds).ravel()).tolist()
            self._anchor_sets = []
            for j, (start, stop) in enumerate(self.bounds):
                sample = set(codes[bounds[2 * j] : bounds[2 * j + 1]]) if stop - start > 1 else ()
                self._anchor_sets.append(sample if len(sample) >= MIN_ANCHORS else sets[j])
        return self._anchor_sets


def _anchors(key: str, n: int) -> set[str]:
    """The n-grams ending in a character whose code point is a multiple of 4: a sample chosen
    by content alone, so an n-gram two lines share is an anchor of both, and a copy, a piece
    or a join always meets its original at an anchor (a short line anchors on all its
    n-grams). Code points rather than hash(): string hashes change from run to run, results
    must not. Read off the key by one regex scan: most lines are compared with nothing."""
    if len(key) <= n:
        return {key}
    sample = set(_anchor_pattern(n).findall(key))
    return sample if len(sample) >= MIN_ANCHORS else _ngrams(key, n)


@lru_cache(maxsize=None)
def _anchor_pattern(n: int) -> re.Pattern[str]:
    boundary = "".join(re.escape(chr(c)) for c in range(0x20, 0x10000, 4) if not 0xD800 <= c < 0xE000)
    return re.compile(f"(?=(.{{{n - 1}}}[{boundary}]))")
