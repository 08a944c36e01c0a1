"""The "script" stage: convert each document to one Chinese script, recording every change."""
from __future__ import annotations

from difflib import SequenceMatcher
from typing import Iterable, Iterator

from ..document import Document, Edit
from .convert import configs, converter
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
    """The edits turning `before` into `after`: the differing runs when the lengths match,
    else the smallest edits line by line (conversions keep lines)."""
    if before == after:
        return []
    if len(before) == len(after):
        # one character for one, as almost every conversion: the edits are the runs that differ
        import numpy as np

        differs = np.concatenate(([False], codepoints(before) != codepoints(after), [False]))
        edges = np.flatnonzero(differs[1:] != differs[:-1]).tolist()
        return [Edit(a, b, after[a:b], reason) for a, b in zip(edges[::2], edges[1::2])]
    before_lines = before.splitlines(keepends=True)
    after_lines = after.splitlines(keepends=True)
    if len(before_lines) != len(after_lines):
        return _span_edits(before, after, 0, reason)
    edits: list[Edit] = []
    offset = 0
    for old, new in zip(before_lines, after_lines):
        if old != new:
            edits.extend(_span_edits(old, new, offset, reason))
        offset += len(old)
    return edits


def _span_edits(old: str, new: str, offset: int, reason: str) -> list[Edit]:
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    return [
        Edit(offset + i1, offset + i2, new[j1:j2], reason)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]
