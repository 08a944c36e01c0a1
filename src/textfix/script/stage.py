"""The "script" stage: convert each document to one Chinese script, recording every change."""
from __future__ import annotations

from difflib import SequenceMatcher
from typing import Iterable, Iterator

from ..document import Document, Edit
from .convert import CLAUSE_END, configs, converter
from .detect import profiles
from .tables import codepoints

# Target script -> the OpenCC config that reaches it from the other script.
TARGET_CONFIGS = {
    "zh-Hans": "t2s",
    "zh-Hant": "s2t",
    "zh-TW": "s2twp",  # Taiwan forms and vocabulary (軟件 -> 軟體)
    "zh-HK": "s2hk",
}


class ScriptStage:
    """Convert documents to `target` (zh-Hans, zh-Hant, zh-TW, zh-HK), or with any OpenCC
    `config`. Text already in the target script and Japanese text are left alone; the
    detected script of the input goes to `doc.metadata["script"]`."""

    name = "script"

    def __init__(self, target: str | None = None, config: str | None = None):
        if (target is None) == (config is None):
            raise ValueError("give exactly one of target= or config=")
        if target is not None and target not in TARGET_CONFIGS:
            raise ValueError(f"unknown target {target!r}; known: {', '.join(TARGET_CONFIGS)}")
        if config is not None and config not in configs():
            raise ValueError(f"unknown OpenCC config {config!r}; known: {', '.join(configs())}")
        # Only the config name is kept, so the stage pickles to worker processes; each
        # process loads the converter once (converter() is cached).
        self.config = config or TARGET_CONFIGS[target]

    def __call__(self, doc: Document) -> Document:
        return self.run_many([doc])[0]

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Convert a stream of documents in batches (fewer OpenCC calls than one by one)."""
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) == BATCH_DOCS:
                yield from self.run_many(batch)
                batch = []
        yield from self.run_many(batch)

    def run_many(self, docs: list[Document]) -> list[Document]:
        """Convert a batch at once: detection is one numpy pass over all of them and
        OpenCC gets few calls (engines call this through `run_batch`). Nothing is changed
        before every conversion has succeeded."""
        texts = [d.text for d in docs]
        scripts = profiles(texts)
        converted = converter(self.config).convert_many(texts, scripts)
        edits = [diff_edits(text, new, f"opencc {self.config}") for text, new in zip(texts, converted)]
        for doc, prof, doc_edits in zip(docs, scripts, edits):
            doc.metadata["script"] = prof.script
            doc.apply(self.name, doc_edits)
        return docs


BATCH_DOCS = 256


def diff_edits(before: str, after: str, reason: str) -> list[Edit]:
    """The edits turning `before` into `after`: where lengths match (almost every
    conversion is one character for one) the runs that differ, else clause by clause
    (conversions keep clause ends), difflib's smallest edits where a clause's length changed."""
    if before == after:
        return []
    if len(before) == len(after):
        return _run_edits([(0, before, after)], reason)
    before_clauses = CLAUSE_END.split(before)
    after_clauses = CLAUSE_END.split(after)
    if len(before_clauses) != len(after_clauses):
        return _span_edits(before, after, 0, reason)
    same_length: list[tuple[int, str, str]] = []
    edits: list[Edit] = []
    offset = 0
    for old, new in zip(before_clauses, after_clauses):
        if len(old) == len(new):
            same_length.append((offset, old, new))
        elif old != new:
            edits.extend(_span_edits(old, new, offset, reason))
        offset += len(old)
    return _run_edits(same_length, reason) + edits


def _run_edits(pieces: list[tuple[int, str, str]], reason: str) -> list[Edit]:
    """The runs that differ in (offset, old, new) pieces of equal length, with one numpy
    comparison for all of them (joined by a character that differs in neither)."""
    import numpy as np

    old = codepoints("\0".join(p[1] for p in pieces))
    new_text = "\0".join(p[2] for p in pieces)
    differs = np.concatenate(([False], old != codepoints(new_text), [False]))
    edges = np.flatnonzero(differs[1:] != differs[:-1])
    if not len(edges):
        return []
    starts = np.cumsum([0] + [len(p[1]) + 1 for p in pieces[:-1]])
    piece = np.searchsorted(starts, edges[::2], side="right") - 1
    shift = (np.array([p[0] for p in pieces]) - starts)[piece].tolist()
    return [
        Edit(a + d, b + d, new_text[a:b], reason)
        for a, b, d in zip(edges[::2].tolist(), edges[1::2].tolist(), shift)
    ]


def _span_edits(old: str, new: str, offset: int, reason: str) -> list[Edit]:
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    return [
        Edit(offset + i1, offset + i2, new[j1:j2], reason)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]
