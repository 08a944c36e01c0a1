"""`textfix check`: which files would a pipeline change? Reads only, never writes.

A file would change when a stage changes or drops one of its documents, or when a .txt
file or JSONL line is not UTF-8 (the writers re-encode it). The pre-commit hook
`textfix-check` (.pre-commit-hooks.yaml) is this command.
"""
from __future__ import annotations

from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .document import Document
from .engines import LocalEngine, StageFailure
from .io import Record, Task, read
from .pipeline import CLEAN_STAGES, STAGES, Pipeline

# Corpus dedup needs a first pass over every input: not a per-file check.
CHECKABLE_STAGES = tuple(name for name in STAGES if name != "dedup")


def stage_names(spec: str) -> list[str]:
    """'repair', 'repair,boilerplate' or 'clean' (the stages of `textfix clean`)."""
    names = [n.strip() for n in spec.split(",") if n.strip()]
    names = [stage for n in names for stage in (CLEAN_STAGES if n == "clean" else (n,))]
    unknown = [n for n in names if n not in CHECKABLE_STAGES]
    if unknown or not names:
        raise ValueError(f"unknown stage {', '.join(unknown) or spec!r}; known: clean, {', '.join(CHECKABLE_STAGES)}")
    return names


@dataclass
class FileCheck:
    path: str
    changes: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))  # stage -> reason -> n
    dropped: int = 0
    reencoded: Counter[str] = field(default_factory=Counter)  # encoding read -> documents
    errors: list[str] = field(default_factory=list)

    @property
    def would_change(self) -> bool:
        return bool(self.changes or self.dropped or self.reencoded)

    def describe(self) -> str:
        """`path: N changes (stage: reason n, ...; stage: ...)`, then drops and re-encodings."""
        total = sum(sum(reasons.values()) for reasons in self.changes.values())
        details = "; ".join(
            f"{stage}: " + ", ".join(f"{reason} {n}" for reason, n in reasons.most_common())
            for stage, reasons in self.changes.items()
        )
        line = f"{self.path}: {total} changes" + (f" ({details})" if details else "")
        if self.dropped:
            line += f", {self.dropped} documents dropped"
        if self.reencoded:
            was = ", ".join(encoding for encoding, _ in self.reencoded.most_common())
            line += f", {sum(self.reencoded.values())} documents rewritten as UTF-8 (read as {was})"
        return line


def check_files(tasks: Iterable[Task], pipeline: Pipeline, engine: LocalEngine | None = None, text_field: str = "text") -> list[FileCheck]:
    """One FileCheck per input, in input order."""
    engine = engine or LocalEngine(1)
    checks: dict[str, FileCheck] = {}
    pending: deque[tuple[FileCheck, str, Record]] = deque()

    def documents() -> Iterator[Document]:
        for task in tasks:
            check = checks.setdefault(task.input, FileCheck(task.input))
            for record in read(task.input, task.format, text_field):
                pending.append((check, task.format, record))
                if record.doc is not None:
                    yield record.doc

    def note_unread() -> None:  # records without a document, up to the next one with
        while pending and pending[0][2].doc is None:
            check, _, record = pending.popleft()
            if record.error:
                check.errors.append(f"{record.where}: {record.error}")

    for outcome in engine.map(pipeline, documents()):
        note_unread()
        _note(*pending.popleft(), outcome)
    note_unread()
    return list(checks.values())


def _note(check: FileCheck, fmt: str, record: Record, outcome) -> None:
    if isinstance(outcome, StageFailure):
        check.errors.append(f"{record.where}: stage failed ({outcome.message})")
        return
    if outcome is None:
        check.dropped += 1
        return
    for change in outcome.changes:
        check.changes[change.stage][change.reason] += 1
    # Parquet rows are values, not bytes; a .txt file or JSONL line not read as UTF-8 is rewritten.
    if fmt != "parquet" and not record.verbatim:
        utf8 = record.encoding in ("utf-8", "utf-8-sig")
        check.reencoded["invalid UTF-8" if utf8 else record.encoding or "unknown"] += 1
