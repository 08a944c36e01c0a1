"""The "script" stage: convert each document to one Chinese script, recording every change."""
from __future__ import annotations

from difflib import SequenceMatcher
from typing import Iterable, Iterator

from ..document import Document, Edit
from .convert import configs, converter
from .detect import profile

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
        return next(self.run([doc]))

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Convert a stream of documents in batches (fewer OpenCC calls than one by one)."""
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) == BATCH_DOCS:
                yield from self._convert(batch)
                batch = []
        yield from self._convert(batch)

    def _convert(self, docs: list[Document]) -> Iterator[Document]:
        converted = converter(self.config).convert_many([d.text for d in docs])
        for doc, text in zip(docs, converted):
            doc.metadata["script"] = profile(doc.text).script
            doc.apply(self.name, diff_edits(doc.text, text, f"opencc {self.config}"))
            yield doc


BATCH_DOCS = 256


def diff_edits(before: str, after: str, reason: str) -> list[Edit]:
    """The smallest edits turning `before` into `after`, line by line (conversions keep lines)."""
    if before == after:
        return []
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
