"""The "script" stage: convert each document to one Chinese script, recording every change."""
from __future__ import annotations

from difflib import SequenceMatcher
from functools import partial
from itertools import repeat
from operator import itemgetter
from os.path import commonprefix
from typing import Iterable, Iterator

from ..document import Change, Document
from .convert import CLAUSE_END, _clause_end_table, configs, converter
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
        changes = diff_changes(self.name, texts, converted, f"opencc {self.config}")
        for doc, prof, new, doc_changes in zip(docs, scripts, converted, changes):
            doc.metadata["script"] = prof.script
            doc.record(doc_changes, new)
        return docs


BATCH_DOCS = 256


def diff_changes(stage: str, befores: list[str], afters: list[str], reason: str) -> list[list[Change]]:
    """For each text, the changes turning `befores[i]` into `afters[i]`, by start: one per
    changed clause, from its first to its last changed character (per character, a 3 KB
    document has ~180 changes, and creating them cost more than converting). Conversions
    keep clause ends; where a text's length changed, its clauses are compared one by one,
    and where its clause ends changed, difflib finds the smallest edits."""
    out: list[list[Change]] = [[] for _ in befores]
    pieces: list[tuple[int, int, str, str]] = []  # (text, offset, old, new) of equal length
    unsorted: list[int] = []  # texts whose changes are not all found in order
    for i, (before, after) in enumerate(zip(befores, afters)):
        if before == after:
            continue
        if len(before) == len(after):
            pieces.append((i, 0, before, after))
            continue
        before_clauses = CLAUSE_END.split(before)
        after_clauses = CLAUSE_END.split(after)
        if len(before_clauses) != len(after_clauses):
            out[i] = _span_changes(stage, before, after, reason)
            continue
        unsorted.append(i)
        offset = 0
        for old, new in zip(before_clauses, after_clauses):
            if len(old) == len(new):
                pieces.append((i, offset, old, new))
            elif old != new:
                out[i].append(_trimmed_change(stage, old, new, offset, reason))
            offset += len(old)
    if pieces:
        _clause_changes(stage, pieces, reason, out)
    for i in unsorted:
        out[i].sort(key=itemgetter(1))
    return out


def _clause_changes(stage: str, pieces: list[tuple[int, int, str, str]], reason: str, out: list[list[Change]]) -> None:
    """Add to `out` the changed clauses of (text, offset, old, new) pieces of equal length,
    with one numpy pass over all of them (joined by a newline, which ends a clause)."""
    import numpy as np

    old_text = "\n".join(p[2] for p in pieces)
    new_text = "\n".join(p[3] for p in pieces)
    old = codepoints(old_text)
    changed = np.flatnonzero(old != codepoints(new_text))
    clause = np.flatnonzero(_clause_end_table().take(old)).searchsorted(changed, side="right")
    first = np.flatnonzero(np.concatenate(([True], clause[1:] != clause[:-1])))
    starts = changed[first]
    ends = changed[np.append(first[1:], len(changed)) - 1] + 1
    piece_starts = np.cumsum([0] + [len(p[2]) + 1 for p in pieces[:-1]])
    piece = piece_starts.searchsorted(starts, side="right") - 1
    shift = (np.array([p[1] for p in pieces]) - piece_starts)[piece]
    per_piece = piece.searchsorted(np.arange(len(pieces) + 1)).tolist()  # each piece's first
    spans = list(zip(starts.tolist(), ends.tolist()))
    changes = list(
        map(
            _new_change,
            zip(
                repeat(stage),
                (starts + shift).tolist(),
                (ends + shift).tolist(),
                [old_text[a:b] for a, b in spans],
                [new_text[a:b] for a, b in spans],
                repeat(reason),
                repeat(1.0),
            ),
        )
    )
    for n, (i, *_) in enumerate(pieces):
        if per_piece[n] < per_piece[n + 1]:
            out[i] += changes[per_piece[n] : per_piece[n + 1]]


def _trimmed_change(stage: str, old: str, new: str, offset: int, reason: str) -> Change:
    """One change from the first to the last character where `old` and `new` differ."""
    prefix = len(commonprefix([old, new]))
    suffix = len(commonprefix([old[prefix:][::-1], new[prefix:][::-1]]))
    return Change(stage, offset + prefix, offset + len(old) - suffix, old[prefix : len(old) - suffix], new[prefix : len(new) - suffix], reason)


# A Change from a tuple of its fields, without a Python-level call per Change.
_new_change = partial(tuple.__new__, Change)


def _span_changes(stage: str, old: str, new: str, reason: str) -> list[Change]:
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    return [
        Change(stage, i1, i2, old[i1:i2], new[j1:j2], reason)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]
