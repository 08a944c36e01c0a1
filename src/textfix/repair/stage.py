"""The `repair` stage: a fast gate, then each registered fixer in turn, every edit recorded."""
from __future__ import annotations

from typing import Iterable

from ..document import Document
from .detect import is_suspect
from .fixers import FIXERS
from .model import load_model


MAX_ROUNDS = 3


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
            for _, fixer in self.fixers:
                doc.apply(self.name, fixer(doc.text, self.model))
            if len(doc.changes) == before:
                break
        return doc
