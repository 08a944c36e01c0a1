"""The unit of work: a text with its id, metadata and the record of every change made to it."""
from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Iterable, NamedTuple


class Change(NamedTuple):
    """One edit. `start`/`end` index the text as the stage that made the edit received it.
    (A NamedTuple: immutable and cheap to create, which matters at tens of thousands a batch.)"""

    stage: str
    start: int
    end: int
    before: str
    after: str
    reason: str
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "start": self.start,
            "end": self.end,
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
            "confidence": round(self.confidence, 4),
        }


class Edit(NamedTuple):
    """A proposed replacement of text[start:end], before a stage commits it as a Change. (A
    NamedTuple: a stage that removes many lines may hand `apply` plain 5-tuples instead.)"""

    start: int
    end: int
    after: str
    reason: str
    confidence: float = 1.0


_SPAN = itemgetter(0, 1)


@dataclass
class Document:
    text: str
    id: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)

    def apply(self, stage: str, edits: Iterable[Edit]) -> "Document":
        """Apply non-overlapping edits to the current text and record them as Changes.

        Edits that overlap an earlier (by start) edit are refused with ValueError: a stage
        must resolve its own conflicts, silently dropping one would hide a decision.
        """
        ordered = sorted(edits, key=_SPAN)
        if not ordered:
            return self
        text = self.text
        size = len(text)
        parts: list[str] = []
        changes = self.changes
        cursor = 0
        for edit in ordered:
            start, end, after, reason, confidence = edit
            if start < cursor or end < start or end > size:
                raise ValueError(f"{stage}: bad or overlapping edit {edit}")
            before = text[start:end]
            if before == after:
                continue
            parts.append(text[cursor:start])
            parts.append(after)
            cursor = end
            # (tuple.__new__ skips the NamedTuple's Python-level __new__: pages lose dozens of lines)
            changes.append(tuple.__new__(Change, (stage, start, end, before, after, reason, confidence)))
        parts.append(text[cursor:])
        self.text = "".join(parts)
        return self

    def record(self, changes: list[Change], text: str) -> "Document":
        """Take `text` with the `changes` (in order, apart, relative to the current text) that
        produce it: for a stage that diffs whole texts and has both already, where `apply`
        would rebuild the text from them. Checked cheaply: the lengths must add up."""
        if not changes:
            return self
        delta = sum(len(c.after) - len(c.before) for c in changes)
        if len(self.text) + delta != len(text):
            raise ValueError(f"{changes[0].stage}: changes do not produce the text recorded")
        self.changes.extend(changes)
        self.text = text
        return self

    def changes_by(self, stage: str) -> list[Change]:
        return [c for c in self.changes if c.stage == stage]
