"""Run accounting: counters, the JSON report (`--report`), the progress bar and the summary."""
from __future__ import annotations

import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, TextIO

from .io.records import Record

_MAX_LISTED = 1000  # messages kept in the JSON report; the counts are always exact


@dataclass
class Report:
    files: int = 0
    files_failed: int = 0
    files_skipped: int = 0
    documents: int = 0
    documents_changed: int = 0
    documents_dropped: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    error_count: int = 0
    warning_count: int = 0
    changes: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def error(self, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < _MAX_LISTED:
            self.errors.append(message)

    def warning(self, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < _MAX_LISTED:
            self.warnings.append(message)

    def add_record(self, record: Record) -> None:
        self.bytes_in += record.size
        for message in record.warnings:
            self.warning(f"{record.where}: {message}")
        if record.error:
            self.error(f"{record.where}: {record.error}")
            if record.line is None:
                self.files_failed += 1
        elif record.skipped:
            self.files_skipped += 1
        if record.doc is None:
            return
        self.documents += 1
        if record.dropped:
            self.documents_dropped += 1
        elif record.doc.changes:
            self.documents_changed += 1
        for change in record.doc.changes:
            self.changes[change.stage][change.reason] += 1

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "files_failed": self.files_failed,
            "files_skipped": self.files_skipped,
            "documents": self.documents,
            "documents_changed": self.documents_changed,
            "documents_dropped": self.documents_dropped,
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "seconds": round(self.seconds, 3),
            "changes": {stage: dict(reasons.most_common()) for stage, reasons in sorted(self.changes.items())},
            "error_count": self.error_count,
            "errors": self.errors,
            "warning_count": self.warning_count,
            "warnings": self.warnings,
        }

    def write_json(self, path: str) -> None:
        from .io.atomic import atomic_write

        with atomic_write(path) as handle:
            handle.write(json.dumps(self.to_dict(), ensure_ascii=False, indent=2).encode("utf-8") + b"\n")

    def summary(self) -> str:
        mb_in, mb_out = self.bytes_in / 1e6, self.bytes_out / 1e6
        rate = mb_in / self.seconds if self.seconds > 0 else 0.0
        lines = [
            f"textfix: {self.files} files ({self.files_failed} failed, {self.files_skipped} skipped), "
            f"{self.documents} documents ({self.documents_changed} changed, {self.documents_dropped} dropped), "
            f"{mb_in:.2f} MB in, {mb_out:.2f} MB out, {self.seconds:.1f} s ({rate:.1f} MB/s)"
        ]
        for stage, reasons in sorted(self.changes.items()):
            listed = ", ".join(f"{reason} {n}" for reason, n in reasons.most_common(5))
            lines.append(f"  {stage}: {sum(reasons.values())} changes ({listed})")
        if self.warning_count:
            lines.append(f"  {self.warning_count} warnings")
        if self.error_count:
            lines.append(f"  {self.error_count} errors")
        return "\n".join(lines)


class Progress:
    """A tqdm bar (documents, MB, MB/s) when stderr is a terminal; silent otherwise."""

    def __init__(self, report: Report, enabled: bool, stream: TextIO | None = None):
        stream = stream or sys.stderr
        self._report = report
        self._bar = None
        self._last = 0.0
        if enabled and stream.isatty():
            from tqdm import tqdm

            self._bar = tqdm(unit=" docs", file=stream, dynamic_ncols=True, mininterval=0.5)

    def update(self) -> None:
        if self._bar is None or time.monotonic() - self._last < 0.2:
            return
        self._last = time.monotonic()
        self._bar.n = self._report.documents
        mb = self._report.bytes_in / 1e6
        self._bar.set_postfix_str(f"{mb:.1f} MB, {mb / max(self._report.seconds, 1e-9):.1f} MB/s", refresh=False)
        self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._last = 0.0
            self.update()
            self._bar.close()
