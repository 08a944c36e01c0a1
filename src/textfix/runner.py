"""Inputs -> pipeline -> outputs: the loop behind every file-processing CLI command.

Records stream from the readers, their documents go through the engine (in order, one
outcome each), and each record is written by its task's writer. A bad record is
reported and the run goes on; the caller turns `report.ok` into the exit code.
"""
from __future__ import annotations

from collections import deque
from typing import Callable, Iterator, NamedTuple

from .engines import LocalEngine, StageFailure
from .io import Record, Task, open_writer, read
from .io.writers import Writer
from .pipeline import Pipeline
from .report import Progress, Report


class _Item(NamedTuple):
    task: Task
    record: Record


def run_tasks(
    tasks: list[Task],
    pipeline: Pipeline,
    engine: LocalEngine | None = None,
    report: Report | None = None,
    text_field: str = "text",
    progress: bool = False,
    on_record: Callable[[Record], None] | None = None,
) -> Report:
    engine = engine or LocalEngine(1)
    report = report or Report()
    bar = Progress(report, enabled=progress)
    pending: deque[_Item] = deque()

    def documents() -> Iterator:
        for task in tasks:
            for record in read(task.input, task.format, text_field):
                pending.append(_Item(task, record))
                if record.doc is not None:
                    yield record.doc

    output = _Output(report, text_field)
    try:
        for outcome in engine.map(pipeline, documents()):
            while True:
                item = pending.popleft()
                if item.record.doc is None:
                    output.write(item)
                    continue
                _settle(item.record, outcome)
                output.write(item)
                break
            if on_record is not None:
                on_record(item.record)
            bar.update()
        while pending:
            output.write(pending.popleft())
        output.close()
    except BaseException as exc:  # KeyboardInterrupt too: remove the temp file, keep the target
        output.abort(exc)
        raise
    finally:
        bar.close()
    return report


def _settle(record: Record, outcome) -> None:
    if outcome is None:
        record.dropped = True
    elif isinstance(outcome, StageFailure):
        record.error = f"stage failed ({outcome.message}); document copied unchanged"
        record.doc.text = record.original_text
        record.doc.changes = []
    else:
        record.doc = outcome


class _Output:
    """The writer of the current task; switching task commits the previous output."""

    def __init__(self, report: Report, text_field: str):
        self.report = report
        self.text_field = text_field
        self.task: Task | None = None
        self.writer: Writer | None = None
        self.failed = False

    def write(self, item: _Item) -> None:
        if item.task is not self.task:
            self.close()
            self.task, self.failed = item.task, False
            self.report.files += 1
            self.writer = open_writer(item.task.output, item.task.format, self.text_field)
        self.report.add_record(item.record)
        if self.failed:
            return
        if item.record.error and item.record.line is None:
            # The file broke after part of it was read (truncated, corrupt): no partial
            # output, and an in-place target keeps its original bytes.
            self.failed = True
            self.writer.abort(ValueError(item.record.error))
            self.writer = None
            return
        try:
            self.writer.write(item.record)
        except OSError as err:
            self._fail(err)

    def close(self) -> None:
        if self.writer is None or self.failed:
            return
        try:
            self.writer.close()
            self.report.bytes_out += self.writer.bytes_out
        except OSError as err:
            self._fail(err)
        self.writer = None

    def abort(self, exc: BaseException) -> None:
        if self.writer is not None and not self.failed:
            self.writer.abort(exc)

    def _fail(self, err: OSError) -> None:
        self.failed = True
        self.report.error(f"{self.task.output}: cannot write: {err.strerror or err}")
        self.writer.abort(err)
        self.writer = None
