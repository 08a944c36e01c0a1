"""OpenCC conversion that respects word boundaries, leaves text already in the target alone
and never touches Japanese.

OpenCC picks phrases by longest match, so a phrase can straddle two words: 前头|发生 has
头发 (hair) in the middle and becomes 前頭髮生. We let OpenCC convert, find the lines where a
phrase changed the outcome (its output differs from converting each character alone), and
only there re-segment: OpenCC's longest match is redone with jieba's words as fences (a
phrase may lie inside a word or cover whole words, never cut one), and the fences that
matter become separators OpenCC cannot match across.
"""
from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from . import tables
from .detect import profile

TO_TRADITIONAL = frozenset({"s2t", "s2tw", "s2twp", "s2hk", "s2hkp"})
TO_SIMPLIFIED = frozenset({"t2s", "tw2s", "tw2sp", "hk2s", "hk2sp"})
JAPANESE = frozenset({"t2jp", "jp2t"})

# A Unicode noncharacter: in no OpenCC dictionary, passed through unchanged, absent from text.
FENCE = "\ufdd0"
# Documents are joined into one OpenCC call: its per-call overhead dominates on small texts.
BATCH_CHARS = 1 << 20
# OpenCC's phrase dictionaries offered to jieba as words, and the jieba frequency they get
# when jieba does not know them (about the median of jieba's own words).
PHRASE_DICTS = ("STPhrases", "STPhrases_GeneratedFromRegionalPhrases", "TSPhrases")
PHRASE_FREQ = 100
# Clause ends that OpenCC leaves as they are; a fence is resolved within one clause.
CLAUSE_END = re.compile(r"(?<=[\n，。！？；：、,.!?;:])")


@lru_cache(maxsize=1)
def LEANING_TRADITIONAL() -> re.Pattern[str]:
    return re.compile(tables.char_class(tables.leaning_traditional()))


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
        # forms, need phrases to choose; OpenCC's t2s phrases are a short list of deliberate
        # exceptions, one of which its own tests pin across a word boundary (圖示覆蓋 ->
        # 图示复盖 in tw2sp).
        self.phrases = _phrases(spec) if config in TO_TRADITIONAL else {}
        self.longest_phrase = max(map(len, self.phrases), default=1)
        self.char_map = self._single_char_map(_dict_files(spec))
        self._tail = _tail_converter(spec) if config in TO_TRADITIONAL else None
        looked_up = {k[0] for name in _dict_files(spec) for k in tables.opencc_dict(name)}
        self._trigger = re.compile(tables.char_class(frozenset(looked_up)))

    def _single_char_map(self, dict_files: Iterable[str]) -> dict[int, str]:
        """What OpenCC makes of each character on its own (one call for all of them)."""
        chars = sorted({k for name in dict_files for k in tables.opencc_dict(name) if len(k) == 1})
        converted = self._opencc.convert("\n".join(chars)).split("\n")
        return {ord(c): out for c, out in zip(chars, converted) if out != c}

    def raw(self, text: str) -> str:
        return self._opencc.convert(text)

    def convert_many(self, texts: Sequence[str]) -> list[str]:
        """Convert documents, batching the ones that need OpenCC into few calls."""
        out = list(texts)
        todo = []
        for i, text in enumerate(texts):
            if FENCE in text:
                out[i] = self.raw(text)  # cannot be batched or fenced; OpenCC as is
            elif self._needs_opencc(text):
                todo.append(i)
        for batch in _batches(todo, texts):
            converted = self.raw(FENCE.join(texts[i] for i in batch)).split(FENCE)
            for i, result in zip(batch, converted):
                out[i] = self._repair(texts[i], result)
        return out

    def convert(self, text: str) -> str:
        return self.convert_many([text])[0]

    def _needs_opencc(self, text: str) -> bool:
        if not self._trigger.search(text):
            return False  # no character any of the config's dictionaries would look up
        return self.config in JAPANESE or profile(text).script != "ja"

    def _repair(self, source: str, converted: str) -> str:
        """Redo the clauses OpenCC may have got wrong: where a phrase decided the outcome, or,
        converting to traditional, where the clause already holds traditional characters."""
        if converted == source:
            return converted
        guarded = self.config in TO_TRADITIONAL and LEANING_TRADITIONAL().search(source)
        if not guarded and (not self.phrases or converted == source.translate(self.char_map)):
            return converted
        source_lines = source.split("\n")
        converted_lines = converted.split("\n")
        if len(source_lines) != len(converted_lines):
            return converted
        for n, (src, out) in enumerate(zip(source_lines, converted_lines)):
            if out != src:
                converted_lines[n] = self._repair_line(src, out)
        return "\n".join(converted_lines)

    def _repair_line(self, source: str, converted: str) -> str:
        source_clauses = CLAUSE_END.split(source)
        converted_clauses = CLAUSE_END.split(converted)
        if len(source_clauses) != len(converted_clauses):
            source_clauses, converted_clauses = [source], [converted]
        out = []
        for src, conv in zip(source_clauses, converted_clauses):
            if conv != src:
                if self.config in TO_TRADITIONAL and LEANING_TRADITIONAL().search(src):
                    conv = self._convert_words(src)
                elif conv != src.translate(self.char_map):
                    conv = self._convert_run(src, conv)
            out.append(conv)
        return "".join(out)

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
        # The simplified-to-traditional step (s2t, the first step of every s2* config) word by
        # word, then the regional steps over the whole clause, as they match across words.
        first_step = converter("s2t")
        parts: list[str] = []
        pending = ""
        for n, word in enumerate(words):
            if n in candidates and round_trip[candidates.index(n)] == word:
                parts.append(first_step._convert_run(pending))
                parts.append(word)
                pending = ""
            else:
                pending += word
        parts.append(first_step._convert_run(pending))
        return self._regional("".join(parts))

    def _regional(self, traditional: str) -> str:
        """The config's steps after the simplified-to-traditional one (TW/HK phrases and forms)."""
        return self._tail.convert(traditional) if self._tail is not None else traditional

    def _convert_run(self, run: str, converted: str | None = None) -> str:
        """OpenCC on a run of text, fenced where a phrase would cut a jieba word."""
        if not run:
            return run
        converted = self.raw(run) if converted is None else converted
        if self.phrases and converted != run.translate(self.char_map):
            fenced = self._fence(run)
            if fenced is not None:
                converted = self.raw(fenced).replace(FENCE, "")
        return converted

    def _fence(self, clause: str) -> str | None:
        """The clause fenced into OpenCC's segments, redone so that no phrase cuts a jieba word;
        None when OpenCC's own segmentation already cuts none."""
        word_of = _word_index(clause)
        cuts: set[int] = set()
        any_refused = False
        i, n = 0, len(clause)
        while i < n:
            match, refused = 0, False
            for length in range(min(self.longest_phrase, n - i), 1, -1):
                decisive = self.phrases.get(clause[i : i + length])
                if decisive is not None:
                    if not (decisive and _cuts_a_word(word_of, i, i + length)):
                        match = length
                        break
                    refused = any_refused = True
            # A phrase is its own segment, as in OpenCC; so is a character where a phrase was
            # refused, or OpenCC would find that phrase again.
            if match or refused:
                cuts.update((i, i + max(match, 1)))
            i += max(match, 1)
        if not any_refused:
            return None
        bounds = [0, *sorted(c for c in cuts if 0 < c < n), n]
        return FENCE.join(clause[a:b] for a, b in zip(bounds, bounds[1:]))


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


def _words(text: str) -> list[str]:
    simplified = text.translate(_to_simplified_map())
    out, start = [], 0
    for word in _tokenizer().cut(simplified, HMM=False):
        out.append(text[start : start + len(word)])
        start += len(word)
    return out


def _word_index(text: str) -> list[tuple[int, int]]:
    """For each character, the (start, end) of the jieba word holding it."""
    spans: list[tuple[int, int]] = []
    start = 0
    for word in _words(text):
        span = (start, start + len(word))
        spans.extend([span] * len(word))
        start = span[1]
    return spans


def _phrases(spec: dict) -> dict[str, bool]:
    """The multi-character keys OpenCC segments by (the segmentation dictionary, or without
    one the phrase dictionaries of the first conversion step), each with whether it decides
    the outcome: converts otherwise than its characters would one by one (头发 -> 頭髮, not
    頭發). A phrase that does not decide may cross a word boundary harmlessly."""
    first_step = _dict_names(spec["conversion_chain"][0]["dict"])
    if "segmentation" in spec:
        names = _dict_names(spec["segmentation"]["dict"])
    else:
        names = [n for n in first_step if "Phrases" in n]
    char_map = {
        ord(k): v[0]
        for name in first_step
        if "Characters" in name
        for k, v in tables.opencc_dict(name).items()
        if len(k) == 1
    }
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


def _dict_files(spec: dict) -> list[str]:
    return [n for step in spec["conversion_chain"] for n in _dict_names(step["dict"])]


def _dict_names(node: dict) -> list[str]:
    if node.get("type") == "group":
        return [n for child in node["dicts"] for n in _dict_names(child)]
    return [Path(node["file"]).stem]


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
