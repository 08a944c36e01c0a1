"""A record: one document in transit, with enough of its origin to report and write it back."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..document import Document


@dataclass
class Record:
    source: str  # input path, or "<stdin>"
    line: int | None  # 1-based JSONL line or Parquet row; None for one-document files
    doc: Document | None  # None when the record could not be read (see `error`)
    raw: Any = None  # original line bytes (JSONL) or row dict (Parquet), for pass-through
    size: int = 0  # input bytes this record came from
    error: str | None = None  # why it could not be read; the raw line is copied unchanged
    warnings: list[str] = field(default_factory=list)
    original_text: str | None = None  # text as read, to detect "nothing changed"
    encoding: str | None = None  # how the bytes were decoded (txt files, JSONL lines)
    verbatim: bool = False  # `raw` is valid UTF-8 for the text as read: reuse it if unchanged
    dropped: bool = False  # a stage dropped the document: nothing is written for it
    skipped: bool = False  # not text (binary): nothing is written, a warning says why

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source
