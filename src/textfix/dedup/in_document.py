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
from typing import Callable

import numpy as np

from ..boilerplate.features import width
from ..boilerplate.lines import ANNOTATION, line_table, nfkc, removal_spans
from ..document import Document

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
_PAIR_HALF = re.compile("[" + "".join(_PAIRS) + "]")
_SIGNS = re.compile("[?\ufffd\ue000-\uf8ff(ÃÂâ" + "".join(_PAIRS) + "]")
_UTF32 = np.dtype("<u4")  # code points as UTF-32-LE bytes hold them
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it spreads n-gram codes over 64 bits
_MAX_BITS = 1 << 22  # compared lines x distinct n-grams, for bit sets


def _comparable(text: str) -> tuple[str, np.ndarray]:
    """What two copies of a line share whatever damage each took, for every line of `text`
    at once, still joined by line breaks, and its code points: NFKC, no converter
    annotations, no punctuation, spacing, `?`, U+FFFD or private use (`_NOISE`), case folded.

    One pass over the whole text rather than one per line: NFKC and the annotations never
    reach across a line break, and the characters `_NOISE` removes are looked up in a table."""
    text = nfkc(text)
    if "(" in text:
        text = ANNOTATION.sub("", text)
    chars = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=_UTF32)
    chars = chars.compress(_kept(chars))
    plain = chars.tobytes().decode("utf-32-le")
    folded = plain.casefold()
    if folded != plain:
        chars = np.frombuffer(folded.encode("utf-32-le"), dtype=_UTF32)
    return folded, chars


# For each code point: does a comparable key keep it (the line break, and whatever `_NOISE`
# does not remove)? Filled one plane of 65,536 code points at a time, when first needed.
_KEPT = np.zeros(0x110000, dtype=bool)
_KEPT_PLANES: set[int] = set()


def _kept(chars: np.ndarray) -> np.ndarray:
    if not _KEPT_PLANES:
        _fill_plane(0)
    if len(chars) and chars.max() > 0xFFFF:
        for plane in set((chars[chars > 0xFFFF] >> 16).tolist()) - _KEPT_PLANES:
            _fill_plane(plane)
    return _KEPT.take(chars)  # (take, then compress: half the time of [] indexing)


def _fill_plane(plane: int) -> None:
    start = plane << 16
    kept = _KEPT[start : start + 0x10000]
    kept[:] = True
    for noise in _NOISE.finditer("".join(map(chr, range(start, start + 0x10000)))):
        kept[noise.start() : noise.end()] = False
    if plane == 0:
        kept[ord("\n")] = True
    _KEPT_PLANES.add(plane)


def damage(text: str) -> int:
    """Signs of damage a repair leaves where it cannot decide: lost bytes (`?` that is not
    punctuation, U+FFFD), private-use code points from misaligned decoding, converter
    annotations, Latin mojibake, and paired quotes or brackets left unpaired (a lost or
    misdecoded closing mark)."""
    signs = "".join(_SIGNS.findall(text))  # the characters any of them needs, in one scan
    if not signs:
        return 0
    score = 0
    if _PAIR_HALF.search(signs):
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
        if not doc.text:
            return doc
        folded, chars = _comparable(doc.text)
        keys = folded.split("\n")
        if doc.text.endswith("\n"):
            keys.pop()  # no empty line after the last line break (as `line_table` cuts)
        n = ngram_size(keys)
        lines = None  # the lines themselves: read for short keys and for edits only
        todo = []
        for i, length in enumerate(map(len, keys)):
            if length < MIN_KEY_LEN:
                continue
            if length < SHORT_SENTENCE and width(keys[i]) < SHORT_SENTENCE:
                lines = lines or line_table(doc.text)
                if _SENTENCE_END.search(lines.texts[i]):
                    continue
            todo.append(i)
        if len(todo) < 2:  # a line is a copy of an earlier one only
            return doc
        grams = _DocGrams(chars, keys, todo, n)
        # a line that starts a run must share `isolated_containment` (or, re-cut,
        # PIECE_CONTAINMENT) of its n-grams with earlier lines: lines with more new ones
        # than the rest are kept without looking for candidates
        novel = grams.novel(1 - min(self.isolated_containment, PIECE_CONTAINMENT))
        if all(novel[1:]) and len({keys[i] for i in todo}) == len(todo):
            return doc  # nothing to find: most documents
        texts, starts = lines = lines or line_table(doc.text)
        kept = _KeptLines(grams)
        exact: dict[str, int] = {}  # key -> slot
        best: dict[int, int] = {}  # kept line index -> index of its least damaged copy
        damages: dict[int, int] = {}  # line index -> damage(its text), for kept texts
        removed: dict[int, str] = {}
        confidence: dict[int, float] = {}
        run_next = -1  # slot a copied run would continue with
        for j, i in enumerate(todo):
            key = keys[i]
            found = None
            if key in exact:
                found = (exact[key], 1.0, "repeated-line", exact[key] + 1)
            elif run_next >= 0 or not novel[j]:
                candidates = kept.candidates(kept.doc_anchors[j])
                if candidates:
                    ways = (self.containment, self.reverse_containment) if run_next >= 0 else (self.isolated_containment,) * 2
                    found = self._near_copy(j, candidates, kept, *ways)
                if found is None and 0 <= run_next < len(kept):
                    grams_count = kept.doc_sizes[j]
                    overlap = kept.size(kept.doc_grams[j] & kept.grams[run_next])
                    if overlap >= self.run_containment * max(grams_count, kept.sizes[run_next]):
                        found = (run_next, overlap / grams_count, "near-copy-in-run", run_next + 1)
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
                if texts[i] != texts[current]:
                    if current not in damages:
                        damages[current] = damage(texts[current])
                    if damages[current] and damage(texts[i]) < damages[current]:  # (never below 0)
                        best[original] = i
        if not removed:
            return doc
        edits = [(start, stop, "", removed[i], confidence[i]) for start, stop, i in removal_spans(lines, removed)]
        for original, copy in best.items():
            if copy != original:
                start = starts[original]
                edits.append((start, start + len(texts[original]), texts[copy], f"better-copy-from-line-{copy + 1}", 1.0))
        return doc.apply(self.name, edits)

    def _near_copy(
        self, place: int, candidates: set[int], kept: "_KeptLines", containment: float, reverse_containment: float
    ) -> tuple[int, float, str, int] | None:
        """(slot of the earlier line, share of n-grams found, reason, slot a run continues
        with), or None, for the compared line at `place`. A copy of one earlier line; else,
        when the other copy cut the text into paragraphs differently, a piece of one earlier
        line or the join of up to three consecutive ones, found almost whole there: nothing
        is lost by dropping it."""
        grams, size, count = kept.doc_grams[place], kept.doc_sizes[place], kept.size
        need = containment * size
        whole = part = None
        overlaps = {}
        for slot in candidates:
            earlier = kept.sizes[slot]
            overlap = overlaps[slot] = count(grams & kept.grams[slot])
            if overlap >= need and overlap >= reverse_containment * earlier:
                if whole is None or overlap > whole[1]:
                    whole = (slot, overlap)
            elif overlap >= PIECE_CONTAINMENT * size and size >= PIECE_MIN_NGRAMS and earlier >= PIECE_RATIO * size:
                part = (slot, overlap)
        if whole is not None:
            return whole[0], whole[1] / size, "near-copy", whole[0] + 1
        if part is not None:
            return part[0], part[1] / size, "piece-of-earlier-line", part[0] + 1
        if size < PIECE_MIN_NGRAMS:
            return None
        # every line of a join is found almost whole in it (a heading quoting half the title
        # and the subtitle is no join) and adds its own part (a templated sentence next to
        # its model adds nothing)
        gain = JOIN_GAIN * size
        holders = {
            slot
            for slot, overlap in overlaps.items()
            if overlap >= gain and overlap >= PIECE_CONTAINMENT * kept.sizes[slot]
        }
        for first in sorted(holders):
            covered = grams & kept.grams[first]
            for last in range(first + 1, min(first + 3, len(kept))):
                part_found = grams & kept.grams[last]
                more = covered | part_found
                if count(more) - count(covered) < gain or count(part_found) < PIECE_CONTAINMENT * kept.sizes[last]:
                    break
                covered = more
                if count(covered) >= PIECE_CONTAINMENT * size:
                    return first, count(covered) / size, "joined-earlier-lines", last + 1
        return None


class _KeptLines:
    """The lines kept so far, by slot: their n-grams, and which share anchors with a line.
    Also the n-grams (`doc_grams`, `doc_sizes`) and anchors (`doc_anchors`) of every compared
    line, by place: sets, or for small documents bit sets (ints) of the n-grams' ranks;
    `size` counts either."""

    def __init__(self, grams: "_DocGrams"):
        self.doc_grams, self.doc_anchors, self.size = grams.gram_sets()
        self.doc_sizes = list(map(self.size, self.doc_grams))
        self.index: list[int] = []  # line index per slot
        self.grams: list = []  # per slot
        self.sizes: list[int] = []  # per slot
        self.anchors: list = []  # per slot
        self._postings: dict[object, list[int]] = defaultdict(list)  # anchor -> slots
        self._indexed = 0  # slots in `_postings`

    def add(self, index: int, place: int) -> int:
        """Keep line `index`, the compared line at `place`; its slot."""
        self.index.append(index)
        self.grams.append(self.doc_grams[place])
        self.sizes.append(self.doc_sizes[place])
        self.anchors.append(self.doc_anchors[place])
        return len(self.index) - 1

    def candidates(self, anchors) -> set[int]:
        """The slots holding one of `anchors` that at most COMMON_NGRAM kept lines hold."""
        count = len(self.index)
        if count <= COMMON_NGRAM:  # then no anchor is held by more: no index needed
            if isinstance(anchors, set):
                return {slot for slot, held in enumerate(self.anchors) if not anchors.isdisjoint(held)}
            return {slot for slot, held in enumerate(self.anchors) if anchors & held}
        postings = self._postings  # (bit sets are only made for fewer compared lines)
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
    them at once. An n-gram is an integer code: its characters side by side, 21 bits each
    for trigrams; for 5-grams 12 bits each, the characters numbered within the document when
    their code points do not fit (a document with more than 4,096 distinct characters keeps
    5-grams as strings). `novel` needs no sets; they are built only for documents where
    some line may be a copy."""

    def __init__(self, chars: np.ndarray, keys: list[str], todo: list[int], n: int):
        """chars: the code points of `keys` joined by line breaks (more may follow)."""
        self.keys = [keys[i] for i in todo]
        self.n = n
        starts = list(accumulate(map((1).__add__, map(len, keys)), initial=0))
        lows = [starts[i] for i in todo]
        highs = [low + len(key) - n + 1 for low, key in zip(lows, self.keys)]
        self.bounds = list(zip(lows, highs))  # places of each compared line's whole n-grams
        self.chars = chars
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
            self.edges = np.array(lows + highs)  # the bounds' starts, then their stops
            self.lows, self.highs = self.edges[: len(lows)], self.edges[len(lows) :]

    def novel(self, share: float) -> list[bool]:
        """Per compared line: are more than `share` of its n-gram places n-grams found in
        no earlier line (nor earlier in the line)? Such a line is no copy of earlier text.

        One sort of (hash of the n-gram, place): the first of each hash is where its n-gram
        first occurs. Two n-grams sharing a hash only make fewer of them new: the answer may
        be no where it could be yes, never the other way."""
        if self.codes is None:
            return [False] * len(self.bounds)
        count = len(self.codes)
        self._place_bits = bits = count.bit_length()
        place = (1 << bits) - 1
        order = self.codes * _MIX
        order &= place ^ 0xFFFFFFFFFFFFFFFF
        order |= _places(count)
        order.sort()
        self._order = order
        hashes = order >> bits
        self._new_hash = new = hashes[1:] != hashes[:-1]
        firsts = order[1:][new]  # with order[0]: the first places of their hash
        firsts &= place
        firsts = firsts.view(np.int64)  # as the bounds are (comparing uint64 with int64 goes through floats)
        firsts.sort()
        first = int(order[0]) & place
        found = firsts.searchsorted(self.edges).tolist()
        lows, highs = found[: len(self.bounds)], found[len(self.bounds) :]
        return [
            stop > start and high - low + (start <= first < stop) > share * (stop - start) * (1 + 1e-9)
            for (start, stop), low, high in zip(self.bounds, lows, highs)
        ]

    def _ranks(self) -> np.ndarray:
        """Per place, the rank of its n-gram code among the document's. Read off `novel`'s
        sort (equal codes are neighbours there unless two codes share a hash)."""
        places = (self._order & ((1 << self._place_bits) - 1)).astype(np.intp)
        codes = self.codes[places]
        if (codes[1:] != codes[:-1])[~self._new_hash].any():  # two codes, one hash
            return np.unique(self.codes, return_inverse=True)[1].reshape(-1)
        ranks = np.empty(len(places), dtype=np.int64)
        ranks[places[0]] = 0
        ranks[places[1:]] = self._new_hash.cumsum()
        return ranks

    def gram_sets(self) -> tuple[list, list, Callable]:
        """(n-grams, anchors, size) of each compared line (`_ngrams`, `_anchors`; `size`
        counts them), of the ranks of the n-gram codes: for documents of at most
        COMMON_NGRAM compared lines and not too many distinct n-grams, bit sets (ints: `&`
        and `int.bit_count` beat building and intersecting sets), else sets. After `novel`."""
        if self.codes is None:
            return [_ngrams(key, self.n) for key in self.keys], [_anchors(key, self.n) for key in self.keys], len
        ranks = self._ranks()
        last = self.chars[self.n - 1 :]  # the character an n-gram ends in decides whether it anchors
        try:
            anchor = _ANCHORING[last]
        except IndexError:  # beyond the BMP: none anchors
            anchor = _ANCHORING[np.minimum(last, 0xFFFF)]
        # a key shorter than n is its own n-gram, of a rank after all others
        shorts: dict[int, int] = {}
        first_short = int(ranks.max()) + 1
        if self.n > MIN_KEY_LEN:
            for j, (start, stop) in enumerate(self.bounds):
                if stop <= start:
                    shorts.setdefault(self._short(j), first_short + len(shorts))
        lines, width = len(self.bounds), first_short + len(shorts)
        if lines <= COMMON_NGRAM and lines * width <= _MAX_BITS:
            return self._bit_sets(ranks, anchor, shorts, width)
        listed = ranks.tolist()
        grams = [
            set(listed[start:stop]) if stop > start else {shorts[self._short(j)]} for j, (start, stop) in enumerate(self.bounds)
        ]
        where = anchor.nonzero()[0]
        anchors, lows, highs = ranks[where].tolist(), where.searchsorted(self.lows), where.searchsorted(self.highs)
        samples = [
            set(anchors[low:high]) if stop - start > 1 else () for (start, stop), low, high in zip(self.bounds, lows, highs)
        ]
        return grams, [sample if len(sample) >= MIN_ANCHORS else every for sample, every in zip(samples, grams)], len

    def _bit_sets(self, ranks: np.ndarray, anchor: np.ndarray, shorts: dict[int, int], width: int) -> tuple[list, list, Callable]:
        lows, highs, rows = self.lows, self.highs, np.arange(len(self.bounds))
        if shorts:  # lines shorter than n have no whole n-gram: their rank goes in by itself
            whole = highs > lows
            lows, highs, rows = lows[whole], highs[whole], rows[whole]
        edges = np.zeros(len(ranks) + 1, dtype=np.int8)
        edges[lows] = 1
        edges[highs] = -1
        places = edges[:-1].cumsum().nonzero()[0]  # the places of the lines' whole n-grams
        table = np.zeros((len(self.bounds), width), dtype=bool)
        table[rows.repeat(highs - lows), ranks[places]] = True
        if shorts:
            for j, (start, stop) in enumerate(self.bounds):
                if stop <= start:
                    table[j, shorts[self._short(j)]] = True
        size = (width + 7) // 8
        data = np.packbits(table, axis=1, bitorder="little").tobytes()
        grams = [int.from_bytes(data[k : k + size], "little") for k in range(0, len(data), size)]
        anchor_ranks = np.zeros(width, dtype=bool)
        anchor_ranks[ranks[anchor]] = True
        anchor_bits = int.from_bytes(np.packbits(anchor_ranks, bitorder="little").tobytes(), "little")
        anchors = []
        for every, (start, stop) in zip(grams, self.bounds):
            sample = every & anchor_bits if stop - start > 1 else 0
            anchors.append(sample if sample.bit_count() >= MIN_ANCHORS else every)
        return grams, anchors, int.bit_count

    def _short(self, j: int) -> int:
        """The code of a key shorter than n, flagged so that it equals no whole n-gram."""
        start = self.bounds[j][0]
        code = 0
        for number in self.numbers[start : start + len(self.keys[j])].tolist():
            code = code << self.bits | number
        return code | 1 << 63


_PLACES = np.arange(1 << 12, dtype=np.uint64)
# the characters `_anchor_pattern` ends an anchor with: in the BMP, from U+0020, every fourth
_ANCHORING = np.zeros(0x10000, dtype=bool)
_ANCHORING[0x20::4] = True
_ANCHORING[0xD800:0xE000] = False


def _places(count: int) -> np.ndarray:
    """np.arange(count, dtype=np.uint64), from one array kept for the process."""
    global _PLACES
    if count > len(_PLACES):
        _PLACES = np.arange(max(count, 2 * len(_PLACES)), dtype=np.uint64)
    return _PLACES[:count]


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
