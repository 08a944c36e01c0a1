"""The `repair` stage: a fast gate, then each registered fixer in turn, every edit recorded."""
from __future__ import annotations

from typing import Iterable

from ..document import Change, Document
from .detect import is_suspect
from .fixers import FIXERS
from .model import load_model


MAX_ROUNDS = 3
# Reason prefix of a no-op edit: a span a fixer could not decide, reported by `explain`.
SUSPICIOUS = "suspicious"


class RepairStage:
    name = "repair"

    def __init__(self, fixers: Iterable[str] | None = None):
        names = list(FIXERS) if fixers is None else list(fixers)
        unknown = [n for n in names if n not in FIXERS]
        if unknown:
            raise KeyError(f"unknown fixer(s) {unknown}; known: {', '.join(FIXERS)}")
        self.fixers = [(n, FIXERS[n]) for n in names]
        self.model = load_model()

    def __call__(self, doc: Document) -> Document:
        # One fix can expose another (ftfy's output may itself be a misread run): repeat until
        # nothing changes, so that repair is idempotent.
        for _ in range(MAX_ROUNDS):
            if not is_suspect(doc.text, self.model):
                break
            before = len(doc.changes)
            suspicious: list[Change] = []  # spans left as they are; only the last round's count
            for _, fixer in self.fixers:
                edits = fixer(doc.text, self.model)
                suspicious.extend(
                    Change(self.name, e.start, e.end, e.after, e.after, e.reason, e.confidence)
                    for e in edits if e.reason.startswith(SUSPICIOUS)
                )
                doc.apply(self.name, [e for e in edits if not e.reason.startswith(SUSPICIOUS)])
            if suspicious:
                doc.metadata["suspicious"] = suspicious
            if len(doc.changes) == before:
                break
        return doc
