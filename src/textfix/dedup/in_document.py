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

from ..boilerplate.features import width
from ..boilerplate.lines import ANNOTATION, nfkc, removal_edits, split_lines
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
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _comparable(text: str) -> str:
    """What two copies of a line share whatever damage each took."""
    text = nfkc(text)
    if "(" in text:
        text = ANNOTATION.sub("", text)
    return _NOISE.sub("", text).casefold()


def damage(text: str) -> int:
    """Signs of damage a repair leaves where it cannot decide: lost bytes (`?` that is not
    punctuation, U+FFFD), private-use code points from misaligned decoding, converter
    annotations, Latin mojibake, and paired quotes or brackets left unpaired (a lost or
    misdecoded closing mark)."""
    private_use = len(_PRIVATE_USE.findall(text))
    unpaired = sum(abs(text.count(pair[0]) - text.count(pair[1])) for pair in _PAIRS)
    return (
        unpaired
        + text.count("?")
        - len(_REAL_QUESTION.findall(text))
        + text.count("\ufffd")
        + private_use
        + len(ANNOTATION.findall(text))
        + len(_LATIN_MOJIBAKE.findall(text))
    )


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
        lines = split_lines(doc.text)
        keys = [_comparable(line.text) if line.text else "" for line in lines]
        size = ngram_size(keys)
        kept = _KeptLines(size)
        exact: dict[str, int] = {}  # key -> slot
        postings: dict[str, list[int]] = defaultdict(list)  # anchor -> slots
        best: dict[int, int] = {}  # kept line index -> index of its least damaged copy
        removed: dict[int, str] = {}
        confidence: dict[int, float] = {}
        run_next = -1  # slot a copied run would continue with
        for line, key in zip(lines, keys):
            if len(key) < MIN_KEY_LEN or (
                len(key) < SHORT_SENTENCE and width(key) < SHORT_SENTENCE and _SENTENCE_END.search(line.text)
            ):
                continue
            grams = None  # built only when there is something to compare with
            if key in exact:
                found = (exact[key], 1.0, "repeated-line", exact[key] + 1)
            else:
                # the posting lists of the line's anchors, which it joins if it is kept
                anchored = [postings[gram] for gram in _anchors(key, size)]
                candidates: set[int] = set()
                for slots in anchored:
                    if slots and len(slots) <= COMMON_NGRAM:
                        candidates.update(slots)
                found = None
                if candidates:
                    grams = _ngrams(key, size)
                    ways = (self.containment, self.reverse_containment) if run_next >= 0 else (self.isolated_containment,) * 2
                    found = self._near_copy(grams, candidates, kept, *ways)
                if found is None and 0 <= run_next < len(kept):
                    grams = grams or _ngrams(key, size)
                    overlap = len(grams & kept.grams(run_next))
                    if overlap >= self.run_containment * max(len(grams), len(kept.grams(run_next))):
                        found = (run_next, overlap / len(grams), "near-copy-in-run", run_next + 1)
            if found is None:
                run_next = -1
                slot = exact[key] = kept.add(line.index, key, grams)
                for slots in anchored:
                    slots.append(slot)
                continue
            slot, score, reason, run_next = found
            removed[line.index] = reason
            confidence[line.index] = score
            if reason not in RECUT:  # the same paragraph: keep the better text
                original = kept.index[slot]
                current = best.get(original, original)
                if line.text != lines[current].text and damage(line.text) < damage(lines[current].text):
                    best[original] = line.index
        if not removed:
            return doc
        edits = removal_edits(lines, removed)
        for index, edit in zip(sorted(removed), edits):
            edit.confidence = confidence[index]
        for original, copy in best.items():
            if copy != original:
                line = lines[original]
                edits.append(Edit(line.start, line.end, lines[copy].text, f"better-copy-from-line-{copy + 1}"))
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
            earlier = kept.grams(slot)
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
            if overlap >= gain and overlap >= PIECE_CONTAINMENT * len(kept.grams(slot))
        }
        for first in sorted(holders):
            covered = grams & kept.grams(first)
            for last in range(first + 1, min(first + 3, len(kept))):
                earlier = kept.grams(last)
                part_found = grams & earlier
                more = covered | part_found
                if len(more) - len(covered) < gain or len(part_found) < PIECE_CONTAINMENT * len(earlier):
                    break
                covered = more
                if len(covered) >= PIECE_CONTAINMENT * len(grams):
                    return first, len(covered) / len(grams), "joined-earlier-lines", last + 1
        return None


class _KeptLines:
    """The lines kept so far, by slot; a line's n-gram set is built when first compared."""

    def __init__(self, size: int):
        self.size = size
        self.index: list[int] = []
        self._keys: list[str] = []
        self._grams: dict[int, set[str]] = {}

    def add(self, index: int, key: str, grams: set[str] | None) -> int:
        slot = len(self.index)
        self.index.append(index)
        self._keys.append(key)
        if grams is not None:
            self._grams[slot] = grams
        return slot

    def grams(self, slot: int) -> set[str]:
        grams = self._grams.get(slot)
        if grams is None:
            grams = self._grams[slot] = _ngrams(self._keys[slot], self.size)
        return grams

    def __len__(self) -> int:
        return len(self.index)


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
