"""OpenCC conversion that respects word boundaries, leaves text already in the target alone
and never touches Japanese.

OpenCC picks phrases by longest match, so a phrase can straddle two words: 前头|发生 has
头发 (hair) in the middle and becomes 前頭髮生. We let OpenCC convert, find the clauses where
a phrase changed the outcome (its output differs from converting each character alone),
and only there redo OpenCC's longest match with jieba's words as fences (a phrase may lie
inside a word or cover whole words, never cut one); the segments become separators
OpenCC cannot match across, and OpenCC converts the clause again.
"""
from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from . import tables
from .detect import ScriptProfile, profiles

TO_TRADITIONAL = frozenset({"s2t", "s2tw", "s2twp", "s2hk", "s2hkp"})
TO_SIMPLIFIED = frozenset({"t2s", "tw2s", "tw2sp", "hk2s", "hk2sp"})
JAPANESE = frozenset({"t2jp", "jp2t"})
TABLE_CONFIGS = frozenset({"s2t", "t2s"})

# A Unicode noncharacter: in no OpenCC dictionary, passed through unchanged, absent from text.
FENCE = "\ufdd0"
# Documents are joined into one OpenCC call of up to this many characters (measured here:
# s2twp gains ~40% over one call per 3 KB document, s2t and t2s neither gain nor lose).
BATCH_CHARS = 1 << 20
# OpenCC's phrase dictionaries offered to jieba as words, and the jieba frequency they get
# when jieba does not know them (about the median of jieba's own words).
PHRASE_DICTS = ("STPhrases", "STPhrases_GeneratedFromRegionalPhrases", "TSPhrases")
PHRASE_FREQ = 100
# A text with this many characters only one script writes is in that script: converting
# to it changes nothing, or (to simplified, not mixed) only clauses holding a character of
# the other script; a shorter string is converted whole, to be safe.
ALREADY_IN_SCRIPT = 5
# Characters either side of a phrase's decision that jieba reads to find the words around it.
WORD_WINDOW = 6
# Longer dictionary words are looked for when deciding whether jieba must run at all.
LONGEST_WORD = 8
# s2t's output for clauses holding a deciding phrase, up to this many (web text repeats
# its clauses; no phrase holds a clause end, so a clause converts the same anywhere).
CLAUSE_CACHE = 1 << 14
_repaired_clauses: dict[str, str] = {}
# Clause ends that OpenCC leaves as they are; a fence is resolved within one clause.
CLAUSE_ENDS = "\n，。！？；：、,.!?;:"
CLAUSE_END = re.compile(f"(?<=[{re.escape(CLAUSE_ENDS)}])")


@lru_cache(maxsize=1)
def _leaning_traditional_table():
    return tables.lookup_table(tables.leaning_traditional())


@lru_cache(maxsize=1)
def _traditional_only_table():
    return tables.lookup_table(tables.traditional_only())


@lru_cache(maxsize=1)
def _clause_end_table():
    return tables.lookup_table(CLAUSE_ENDS)


def configs() -> list[str]:
    import opencc

    return sorted(c.removesuffix(".json") for c in opencc.CONFIGS)


class Converter:
    """One OpenCC config with the tables the boundary repair needs."""

    def __init__(self, config: str):
        import opencc

        if config not in configs():
            raise ValueError(f"unknown OpenCC config {config!r}; known: {', '.join(configs())}")
        self.config = config
        self._opencc = opencc.OpenCC(config)
        spec = json.loads(Path(self._opencc.config).read_text(encoding="utf-8"))
        # Only conversions from simplified, where one character has several traditional
        # forms, need phrases to choose; they all start with s2t, which holds the phrases
        # (the other s2* configs add regional steps after it). OpenCC's t2s phrases are a
        # short list of deliberate exceptions, one of which its own tests pin across a word
        # boundary (圖示覆蓋 -> 图示复盖 in tw2sp).
        self.char_map = self._single_char_map(_dict_files(spec, with_normalization=True))
        self._char_level = _code_point_map(self.char_map)
        phrases = _phrases(spec, self.char_map)
        self.phrases = phrases if config == "s2t" else {}
        self.longest_from: dict[str, int] = {}  # first character -> longest phrase from it
        self.phrase_starts = {p[:2] for p in self.phrases}
        for phrase in self.phrases:
            self.longest_from[phrase[0]] = max(len(phrase), self.longest_from.get(phrase[0], 0))
        self._tail = _tail_converter(spec) if config in TO_TRADITIONAL else None
        self._first_step = converter("s2t") if config in TO_TRADITIONAL and config != "s2t" else self
        self._looked_up = tables.lookup_table(
            k[0] for name in _dict_files(spec, with_normalization=True) for k in tables.opencc_dict(name)
        )
        # s2t and t2s (one step, no segmentation dictionary): where no deciding phrase occurs,
        # OpenCC's output is the character-level one, a table lookup over the whole batch,
        # so OpenCC (and for s2t the repair) runs only on clauses where one occurs (s2t: ~5%
        # of clauses, t2s: ~1%). The other configs chain steps that segment on their own.
        if config in TABLE_CONFIGS:
            self._deciding = _PhraseIndex(p for p, decides in phrases.items() if decides)

    def _single_char_map(self, dict_files: Iterable[str]) -> dict[int, str]:
        """What OpenCC makes of each character on its own (one call for all of them)."""
        chars = sorted({k for name in dict_files for k in tables.opencc_dict(name) if len(k) == 1})
        converted = self._opencc.convert("\n".join(chars)).split("\n")
        return {ord(c): out for c, out in zip(chars, converted) if out != c}

    def raw(self, text: str) -> str:
        return self._opencc.convert(text)

    def convert_many(self, texts: Sequence[str], scripts: Sequence[ScriptProfile] | None = None) -> list[str]:
        """Convert documents, batching the ones that need OpenCC into few calls
        (`scripts`: their profiles, if the caller already has them)."""
        out = list(texts)
        todo: list[int] = []
        regional: list[int] = []
        for i, plan in enumerate(self._plans(texts, scripts)):
            if plan == "fenced":
                out[i] = self.raw(texts[i])  # cannot be batched or fenced; OpenCC as is
            elif plan == "convert":
                todo.append(i)
            elif plan == "regional":
                regional.append(i)
            elif plan == "leftovers":
                out[i] = self._fix_leftovers(texts[i])
        if self.config in TO_TRADITIONAL:
            for batch in _batches(todo, texts):
                self._convert_to_traditional(texts, batch, out)
        elif self.config in TABLE_CONFIGS:
            for batch in _batches(todo, texts):
                self._convert_by_table(texts, batch, out)
        else:
            for batch in _batches(todo, texts):
                converted = self.raw(FENCE.join(texts[i] for i in batch)).split(FENCE)
                for i, result in zip(batch, converted):
                    out[i] = result
        if self._tail is not None:
            for batch in _batches(regional, texts):
                converted = self._tail.convert(FENCE.join(texts[i] for i in batch)).split(FENCE)
                for i, result in zip(batch, converted):
                    out[i] = result
        return out

    def convert(self, text: str) -> str:
        return self.convert_many([text])[0]

    def _convert_to_traditional(self, texts: Sequence[str], todo: list[int], out: list[str]) -> None:
        """s2t and the configs built on it. s2t itself converts each document by table
        lookup and sends only the clauses where a deciding phrase occurs through OpenCC (all
        in one call); the others take OpenCC's output for the whole config. Then the
        clauses where the repair may refuse a phrase are fenced, and changed clauses that
        hold traditional characters are converted word by word."""
        first = self._first_step
        whole: dict[int, str] = {}
        if first is not self:
            whole.update(zip(todo, self.raw(FENCE.join(texts[i] for i in todo)).split(FENCE)))
        # document -> (patched clause -> new output), for s2t over the character-level text
        patches: dict[int, dict[int, str]] = {}
        # s2t: clause -> where (document, clause number) and its deciding phrases' spans
        through_opencc: dict[str, list[tuple[int, int, list[tuple[int, int]]]]] = {}
        work = first._clauses_to_fix([texts[i] for i in todo])
        for i, (char_level, spans, count, words, deciding) in zip(todo, work):
            text = texts[i]
            if first is not self:
                deciding = {n: found for n, found in deciding.items() if first._may_refuse(text[slice(*spans[n])], found)}
                outputs = CLAUSE_END.split(whole[i])
                if not (words or deciding) or len(outputs) != count:
                    out[i] = whole[i]
                    continue
            elif not (words or deciding):
                out[i] = char_level
                continue
            patched = patches[i] = {}
            for n in words:
                patched[n] = self._convert_words(text[slice(*spans[n])])
            for n, phrase_spans in deciding.items():
                if n in words:
                    continue
                clause = text[slice(*spans[n])]
                if first is not self:
                    patched[n] = self._convert_run(clause) or outputs[n]
                elif clause in _repaired_clauses:
                    patched[n] = _repaired_clauses[clause]
                else:
                    through_opencc.setdefault(clause, []).append((i, n, phrase_spans))
            if first is not self:
                out[i] = "".join(patched.get(n, output) for n, output in enumerate(outputs))
        if first is self:
            converted = self.raw(FENCE.join(through_opencc)).split(FENCE) if through_opencc else []
            if len(_repaired_clauses) + len(through_opencc) > CLAUSE_CACHE:
                _repaired_clauses.clear()
            for (clause, places), result in zip(through_opencc.items(), converted):
                _, _, phrase_spans = places[0]
                result = (self._may_refuse(clause, phrase_spans) and self._convert_run(clause, result)) or result
                _repaired_clauses[clause] = result
                for i, n, _ in places:
                    patches[i][n] = result
            for i, (char_level, spans, *_) in zip(todo, work):
                if i in patches:
                    out[i] = _patched(char_level, spans, patches[i])

    def _convert_by_table(self, texts: Sequence[str], todo: list[int], out: list[str]) -> None:
        """(t2s) Each document by table lookup, the clauses where a deciding phrase occurs
        by OpenCC (all in one call)."""
        work = self._clauses_to_fix([texts[i] for i in todo])
        found = [(i, n, texts[i][slice(*spans[n])]) for i, (_, spans, _, _, deciding) in zip(todo, work) for n in deciding]
        converted = self.raw(FENCE.join(clause for *_, clause in found)).split(FENCE) if found else []
        patches: dict[int, dict[int, str]] = {}
        for (i, n, _), result in zip(found, converted):
            patches.setdefault(i, {})[n] = result
        for i, (char_level, spans, *_) in zip(todo, work):
            out[i] = _patched(char_level, spans, patches[i]) if i in patches else char_level

    def _clauses_to_fix(
        self, texts: Sequence[str]
    ) -> list[tuple[str, dict[int, tuple[int, int]], int, set[int], dict[int, list[tuple[int, int]]]]]:
        """(s2t, t2s) For each text: the text converted character by character, the (start, end)
        of the clauses below, its number of clauses, the clauses to convert word by word
        (changed, holding traditional characters), and the clauses where a deciding phrase
        occurs -> the (start, end) of those phrases in the clause. All texts go through
        numpy together, joined by a clause end."""
        import numpy as np

        joined = "\n".join(texts)
        codepoints = tables.codepoints(joined)
        char_level = self._char_level.take(codepoints).astype("<u4", copy=False).tobytes().decode("utf-32-le", "surrogatepass")
        clause_ends = np.flatnonzero(_clause_end_table()[codepoints]) + 1  # where each clause stops
        ends = clause_ends.tolist()
        doc_starts = np.cumsum([0] + [len(t) + 1 for t in texts]).tolist()  # one past the end: +1
        first_clause = np.searchsorted(clause_ends, doc_starts, side="right").tolist()
        first_clause[-1] += 1  # the last text has no separator ending its last clause
        work = [
            (char_level[start : stop - 1], {}, next_first - first, set(), {})
            for start, stop, first, next_first in zip(doc_starts, doc_starts[1:], first_clause, first_clause[1:])
        ]
        occurrences = self._deciding.occurrences(joined, codepoints)
        found: dict[int, list[tuple[int, int]]] = {}  # clause -> the deciding phrases in it
        for clause, span in zip(np.searchsorted(clause_ends, [a for a, _ in occurrences], side="right").tolist(), occurrences):
            found.setdefault(clause, []).append(span)
        leaning_clauses: set[int] = set()
        if self.config in TO_TRADITIONAL:
            leaning = np.flatnonzero(_leaning_traditional_table()[codepoints])
            leaning_clauses.update(np.searchsorted(clause_ends, leaning, side="right").tolist())
        clauses = set(found).union(leaning_clauses)
        documents = (np.searchsorted(first_clause, sorted(clauses), side="right") - 1).tolist()
        for clause, k in zip(sorted(clauses), documents):
            a = ends[clause - 1] if clause else 0
            b = ends[clause] if clause < len(ends) else len(joined)
            start, stop = doc_starts[k], doc_starts[k + 1] - 1
            n = clause - first_clause[k]
            if clause in found:
                work[k][4][n] = [(x - a, y - a) for x, y in found[clause]]
            elif char_level[a:b] == joined[a:b]:
                continue  # unchanged: nothing to keep
            if clause in leaning_clauses:
                work[k][3].add(n)
            work[k][1][n] = (a - start, min(b, stop) - start)
        return work

    def _may_refuse(self, clause: str, phrase_spans: list[tuple[int, int]]) -> bool:
        """Whether a dictionary word overlaps one of the deciding phrases at `phrase_spans`
        in the clause: only then can the repair refuse it."""
        if not self.phrases:
            return False
        simplified = clause.translate(_to_simplified_map())
        return any(_a_word_may_cut(simplified, start, end) for start, end in phrase_spans)

    def _plans(self, texts: Sequence[str], scripts: Sequence[ScriptProfile] | None) -> list[str]:
        """For each text: 'skip', 'regional' (only the steps after simplified-to-traditional),
        'leftovers' (a text in the target script with a few characters of the other),
        'convert', or 'fenced' (holds the batch separator: OpenCC as is). One numpy pass
        over all texts, as in detection."""
        import numpy as np

        if not texts:
            return []
        codepoints = tables.codepoints("".join(texts))
        bounds = np.cumsum([0] + [len(t) for t in texts])
        looked_up = np.diff(np.flatnonzero(self._looked_up.take(codepoints)).searchsorted(bounds)).tolist()
        if scripts is None and self.config not in JAPANESE:
            scripts = profiles(texts, codepoints)
        plans = []
        for i, text in enumerate(texts):
            if FENCE in text:
                plans.append("fenced")
            elif not looked_up[i]:
                plans.append("skip")  # no character any of the config's dictionaries would look up
            elif self.config in JAPANESE:
                plans.append("convert")
            else:
                plans.append(self._plan(scripts[i]))
        return plans

    def _plan(self, prof: ScriptProfile) -> str:
        if prof.script == "ja":
            return "skip"
        # A traditional text with a simplified character may also hold naive leftovers
        # that have none (之后): it is converted whole, keeping its traditional words.
        if self.config in TO_TRADITIONAL and prof.simplified == 0 and prof.traditional >= ALREADY_IN_SCRIPT:
            return "regional"
        if self.config in TO_SIMPLIFIED and prof.script == "zh-Hans" and prof.simplified >= ALREADY_IN_SCRIPT:
            return "leftovers" if prof.traditional else "skip"
        return "convert"

    def _fix_leftovers(self, text: str) -> str:
        """t2s on only the clauses of a simplified text that hold a traditional-only
        character (a stray 們); the other clauses are left as they are."""
        traditional = _traditional_only_table()
        return "".join(
            self.raw(clause) if traditional[tables.codepoints(clause)].any() else clause
            for clause in CLAUSE_END.split(text)
        )

    def _convert_words(self, clause: str) -> str:
        """Convert a clause word by word, leaving words OpenCC itself would write this way in
        traditional (風采 stays, where OpenCC makes it 風採; 之后 beside it becomes 之後).

        A word with traditional characters and no simplified-only one is kept when t2s then
        s2t gives it back; it then gets only the regional steps (調色板 -> 調色盤 in s2twp).
        Otherwise (數据庫, 擡頭) OpenCC converts the word as it is."""
        leaning_traditional = tables.leaning_traditional()
        simplified_only = tables.simplified_only()
        words = _words(clause)
        candidates = [
            n
            for n, word in enumerate(words)
            if any(c in leaning_traditional for c in word) and not any(c in simplified_only for c in word)
        ]
        if candidates:
            simplified = converter("t2s").raw("\n".join(words[n] for n in candidates))
            round_trip = converter("s2t").raw(simplified).split("\n")
        # s2t (the first step of every s2* config) word by word, then the regional steps
        # over the whole clause, as they match across words.
        first_step = converter("s2t")
        parts: list[str] = []
        pending = ""
        for n, word in enumerate(words):
            if n in candidates and round_trip[candidates.index(n)] == word:
                parts.append(first_step._convert_run(pending) or first_step.raw(pending))
                parts.append(word)
                pending = ""
            else:
                pending += word
        parts.append(first_step._convert_run(pending) or first_step.raw(pending))
        return self._regional("".join(parts))

    def _regional(self, traditional: str) -> str:
        """The config's steps after the simplified-to-traditional one (TW/HK phrases and forms)."""
        return self._tail.convert(traditional) if self._tail is not None else traditional

    def _convert_run(self, run: str, first_converted: str | None = None) -> str | None:
        """OpenCC on a run of text, fenced where a first-step phrase would cut a jieba word;
        None if no phrase does. `first_converted`: the first step's output, if known."""
        first = self._first_step
        if not run or not first.phrases:
            return None
        converted = first.raw(run) if first_converted is None else first_converted
        char_level = run.translate(first.char_map)
        if converted == char_level:
            return None
        lo, hi = 0, len(run)
        if len(run) == len(converted) == len(char_level):
            # jieba needs to read only around the characters a phrase decided
            decided = [i for i, (a, b) in enumerate(zip(converted, char_level)) if a != b]
            lo, hi = max(0, decided[0] - WORD_WINDOW), min(len(run), decided[-1] + WORD_WINDOW + 1)
        fenced = first._fence(run, lo, hi)
        return None if fenced is None else self.raw(fenced).replace(FENCE, "")

    def _fence(self, clause: str, lo: int, hi: int) -> str | None:
        """The clause fenced into OpenCC's segments, redone so that no phrase cuts a jieba word;
        None when OpenCC's own segmentation already cuts none."""
        simplified = clause.translate(_to_simplified_map())
        word_of: list[tuple[int, int]] | None = None  # jieba runs only if a word may be cut
        cuts: set[int] = set()
        any_refused = False
        i, n = 0, len(clause)
        while i < n:
            if i >= hi:
                # past jieba's window nothing is refused: OpenCC segments the rest as we would
                cuts.add(i)
                break
            match, refused = 0, False
            longest = self.longest_from.get(clause[i], 0) if clause[i : i + 2] in self.phrase_starts else 0
            for length in range(min(longest, n - i), 1, -1):
                decisive = self.phrases.get(clause[i : i + length])
                if decisive is None:
                    continue
                if decisive and _a_word_may_cut(simplified, i, i + length):
                    if word_of is None:
                        word_of = _word_index(clause, lo, hi)
                    if _cuts_a_word(word_of, i, i + length):
                        refused = any_refused = True
                        continue
                match = length
                break
            # A phrase is its own segment, as in OpenCC; so is a character where a phrase was
            # refused, or OpenCC would find that phrase again.
            if match or refused:
                cuts.update((i, i + max(match, 1)))
            i += max(match, 1)
        if not any_refused:
            return None
        bounds = [0, *sorted(c for c in cuts if 0 < c < n), n]
        return FENCE.join(clause[a:b] for a, b in zip(bounds, bounds[1:]))


class _PhraseIndex:
    """Finds where `phrases` occur. numpy looks every pair of adjacent characters up in a
    table of the phrases' first two characters (two-character phrases are then found),
    and every next pair in a table of the longer phrases' second and third characters;
    dictionary lookups check only the positions where both match (~5% of the first
    table's matches: most are the start of some longer phrase)."""

    def __init__(self, phrases: Iterable[str]):
        import numpy as np

        self.phrases = frozenset(phrases)
        longer = [p for p in self.phrases if len(p) > 2]
        first, self.first = _index_of(p[0] for p in self.phrases)
        second, self.second = _index_of(p[1] for p in self.phrases)
        third, self.third = _index_of(p[2] for p in longer)
        # Pair tables, flat (one 1-D take is several times faster than 2-D indexing):
        # (first, second) -> 1: a phrase of two characters, 2: the start of a longer one
        self.starts = np.zeros((first + 1) * (second + 1), dtype=np.uint8)
        self.middles = np.zeros((second + 1) * (third + 1), dtype=bool)
        for p in self.phrases:
            self.starts[self.first[ord(p[0])] * (second + 1) + self.second[ord(p[1])]] |= 1 if len(p) == 2 else 2
        for p in longer:
            self.middles[self.second[ord(p[1])] * (third + 1) + self.third[ord(p[2])]] = True
        self.first *= second + 1  # row offsets
        self.second_row = self.second * (third + 1)
        self.longest_from: dict[str, int] = {}
        for phrase in self.phrases:
            self.longest_from[phrase[0]] = max(len(phrase), self.longest_from.get(phrase[0], 0))

    def occurrences(self, text: str, codepoints) -> list[tuple[int, int]]:
        """(start, end) of every occurrence, overlapping ones included."""
        import numpy as np

        if len(codepoints) < 2 or not self.phrases:
            return []
        kind = self.starts.take(self.first.take(codepoints[:-1]) + self.second.take(codepoints[1:]))
        found = [(start, start + 2) for start in np.flatnonzero(kind & 1).tolist()]
        begins = np.flatnonzero(kind[:-1] & 2)  # the middle table only where a longer phrase may start
        middle = self.middles.take(self.second_row.take(codepoints[begins + 1]) + self.third.take(codepoints[begins + 2]))
        for start in begins[middle].tolist():
            longest = min(self.longest_from[text[start]], len(text) - start)
            found += [(start, start + n) for n in range(3, longest + 1) if text[start : start + n] in self.phrases]
        return found


def _index_of(chars: Iterable[str]):
    """(n, a code point array: each of the n distinct `chars` -> its own number, every
    other code point -> n, the row or column of a table left all False)."""
    import numpy as np

    distinct = sorted(set(chars))
    index = np.full(0x110000, len(distinct), dtype=np.int32)
    index[[ord(c) for c in distinct]] = np.arange(len(distinct))
    return len(distinct), index


def _code_point_map(char_map: dict[int, str]):
    """char_map as a code point array, or None if a character becomes several."""
    import numpy as np

    if any(len(v) != 1 for v in char_map.values()):
        return None
    table = np.arange(0x110000, dtype=np.uint32)
    table[list(char_map)] = [ord(v) for v in char_map.values()]
    return table


def _a_word_may_cut(text: str, start: int, end: int) -> bool:
    """True if some word of jieba's dictionary overlaps text[start:end] without containing it
    or lying inside it: only then can jieba's segmentation cut the phrase, and is it run.
    jieba's FREQ also holds every prefix of its words (frequency 0), so a walk stops at the
    first fragment that begins no word."""
    freq = _tokenizer().FREQ
    for a in range(max(0, start - LONGEST_WORD + 1), start):
        for b in range(start + 1, min(end, a + LONGEST_WORD + 1)):
            found = freq.get(text[a:b])
            if found is None:
                break
            if found:
                return True
    for a in range(start + 1, end):
        for b in range(end + 1, min(len(text), a + LONGEST_WORD) + 1):
            found = freq.get(text[a:b])
            if found is None:
                break
            if found:
                return True
    return False


def _cuts_a_word(word_of: list[tuple[int, int]], start: int, end: int) -> bool:
    """True if [start, end) overlaps a word without containing it or lying inside it."""
    first, last = word_of[start], word_of[end - 1]
    if first == last:
        return False  # inside one word
    return first[0] < start or last[1] > end


@lru_cache(maxsize=1)
def _tokenizer():
    """jieba, also offered OpenCC's phrases as words: where it still cuts one, the words
    around it are more likely than the phrase; where jieba never knew the phrase, it wins
    (周线图 is 周线|图, not 周|线图)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    to_simplified = _to_simplified_map()
    for name in PHRASE_DICTS:
        for phrase in tables.opencc_dict(name):
            word = phrase.translate(to_simplified)
            if len(word) > 1 and not tokenizer.FREQ.get(word):
                tokenizer.add_word(word, PHRASE_FREQ)
    return tokenizer


@lru_cache(maxsize=1)
def _to_simplified_map() -> dict[int, str]:
    """Traditional -> simplified, one character for one, so jieba (trained on simplified) can
    segment traditional text with positions unchanged."""
    return {
        ord(k): v[0]
        for k, v in tables.opencc_dict("TSCharacters").items()
        if len(k) == 1 and len(v[0]) == 1
    }


@lru_cache(maxsize=1 << 14)
def _word_ends(text: str) -> tuple[int, ...]:
    """Where jieba's words end (HMM off: only dictionary words, which are what can disagree
    with OpenCC's phrases). Its DAG and route are used directly: `cut` spends most of its
    time on regex splitting that this does not need. Cached: web text repeats its clauses."""
    simplified = text.translate(_to_simplified_map())
    tokenizer = _tokenizer()
    route: dict[int, tuple[float, int]] = {}
    tokenizer.calc(simplified, tokenizer.get_DAG(simplified), route)
    ends, i = [], 0
    while i < len(simplified):
        i = route[i][1] + 1
        ends.append(i)
    return tuple(ends)


def _words(text: str) -> list[str]:
    starts = [0, *_word_ends(text)]
    return [text[a:b] for a, b in zip(starts, starts[1:])]


def _word_index(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """For each character, the (start, end) of the jieba word holding it; jieba reads only
    text[lo:hi], characters outside count as words of their own."""
    spans = [(i, i + 1) for i in range(lo)]
    start = lo
    for end in _word_ends(text[lo:hi]):
        spans.extend([(start, lo + end)] * (lo + end - start))
        start = lo + end
    spans.extend((i, i + 1) for i in range(hi, len(text)))
    return spans


def _phrases(spec: dict, char_map: dict[int, str]) -> dict[str, bool]:
    """The multi-character keys OpenCC segments by (the segmentation dictionary, or without
    one the phrase dictionaries of the first conversion step), each with whether it decides
    the outcome: converts otherwise than its characters would one by one (头发 -> 頭髮, not
    頭發; `char_map`: OpenCC's output for each character alone). A phrase that does not
    decide may cross a word boundary harmlessly."""
    first_step = _dict_names(spec["conversion_chain"][0]["dict"])
    if "segmentation" in spec:
        names = _dict_names(spec["segmentation"]["dict"])
    else:
        names = [n for n in first_step if "Phrases" in n]
    phrases: dict[str, bool] = {}
    for name in names:
        for key, values in tables.opencc_dict(name).items():
            if len(key) > 1 and key not in phrases:
                phrases[key] = values[0] != key.translate(char_map)
    return phrases


def _tail_converter(spec: dict):
    """An OpenCC converter running only the steps after the first (None if there are none)."""
    import tempfile

    import opencc

    steps = spec["conversion_chain"][1:]
    if not steps:
        return None
    share = Path(opencc.__file__).parent / "clib" / "share" / "opencc"

    def absolute(node: dict) -> dict:
        if node.get("type") == "group":
            return {**node, "dicts": [absolute(d) for d in node["dicts"]]}
        return {**node, "file": str(share / node["file"])}

    tail = {"name": "tail", "conversion_chain": [{"dict": absolute(s["dict"])} for s in steps]}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(tail, f)
    try:
        return opencc.OpenCC(f.name)
    finally:
        os.unlink(f.name)


def _dict_files(spec: dict, with_normalization: bool = False) -> list[str]:
    steps = spec["conversion_chain"] + (spec.get("normalization", []) if with_normalization else [])
    return [n for step in steps for n in _dict_names(step["dict"])]


def _dict_names(node: dict) -> list[str]:
    if node.get("type") == "group":
        return [n for child in node["dicts"] for n in _dict_names(child)]
    return [Path(node["file"]).stem]


def _patched(text: str, spans: dict[int, tuple[int, int]], patches: dict[int, str]) -> str:
    """`text` with the clauses at `spans` replaced by `patches` (both keyed by clause)."""
    parts, done = [], 0
    for n in sorted(patches):
        start, end = spans[n]
        parts += [text[done:start], patches[n]]
        done = end
    parts.append(text[done:])
    return "".join(parts)


def _batches(indices: list[int], texts: Sequence[str]) -> Iterable[list[int]]:
    batch: list[int] = []
    size = 0
    for i in indices:
        batch.append(i)
        size += len(texts[i])
        if size >= BATCH_CHARS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


@lru_cache(maxsize=None)
def converter(config: str) -> Converter:
    return Converter(config)


def convert(text: str, config: str) -> str:
    """Convert `text` with an OpenCC config ('s2t', 's2twp', 't2s', 'jp2t', ...)."""
    return converter(config).convert(text)


def convert_many(texts: Sequence[str], config: str) -> list[str]:
    return converter(config).convert_many(texts)


def clear_caches() -> None:
    """Forget the cached segmentations and clause outputs (benchmarks time a cold start)."""
    _word_ends.cache_clear()
    _repaired_clauses.clear()
