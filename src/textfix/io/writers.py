"""Writers: Records back to a file (atomically) or to stdout, in the order they were read.

What did not change is written back byte for byte: an unchanged JSONL line is the
original line, an unchanged UTF-8 .txt is the original bytes. A changed JSONL line keeps
every other field and the key order; only the text field gets the new value.
"""
from __future__ import annotations

import contextlib
import gzip
import json
import sys
from typing import BinaryIO

from .atomic import atomic_write
from .formats import compression_of
from .readers import STDIN, parse_jsonl_line
from .records import Record

_PARQUET_BATCH = 1024


class Writer:
    """Opens its output on the first write, so an input that yields nothing writes nothing."""

    def __init__(self, path: str, text_field: str = "text"):
        self.path = path
        self.text_field = text_field
        self.bytes_out = 0
        self._stack = contextlib.ExitStack()
        self._handle: BinaryIO | None = None

    def _out(self) -> BinaryIO:
        if self._handle is None:
            if self.path == STDIN:
                self._handle = sys.stdout.buffer
            else:
                raw = self._stack.enter_context(atomic_write(self.path))
                self._handle = self._stack.enter_context(_compressor(raw, compression_of(self.path)))
        return self._handle

    def _emit(self, data: bytes) -> None:
        self._out().write(data)
        self.bytes_out += len(data)

    def write(self, record: Record) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Commit: flush and atomically move the output into place."""
        self._flush()
        if self.path == STDIN and self._handle is not None:
            self._handle.flush()
        self._stack.close()

    def abort(self, exc: BaseException) -> None:
        """Discard: the temp file goes, the target (if any) stays as it was."""
        self._stack.__exit__(type(exc), exc, exc.__traceback__)

    def _flush(self) -> None:
        pass


@contextlib.contextmanager
def _compressor(raw: BinaryIO, compression: str | None):
    if compression == "gzip":
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
            yield handle
    elif compression == "zstd":
        import zstandard

        with zstandard.ZstdCompressor().stream_writer(raw, closefd=False) as handle:
            yield handle
    else:
        yield raw


def _unchanged_utf8(record: Record) -> bool:
    return record.verbatim and record.doc is not None and record.doc.text == record.original_text


class TxtWriter(Writer):
    def write(self, record: Record) -> None:
        if record.doc is None or record.dropped:
            return  # unreadable, binary or dropped: no output for this file
        self._emit(record.raw if _unchanged_utf8(record) else record.doc.text.encode("utf-8"))


class JsonlWriter(Writer):
    def write(self, record: Record) -> None:
        if record.dropped:
            return
        if record.doc is None or _unchanged_utf8(record):
            if record.raw is not None:
                self._emit(record.raw)  # unchanged, blank or unreadable: the original bytes
            return
        obj, _ = parse_jsonl_line(record.raw)
        obj[self.text_field] = record.doc.text
        ending = record.raw[len(record.raw.rstrip(b"\r\n")) :]  # keep LF, CRLF or none
        self._emit(json.dumps(obj, ensure_ascii=False).encode("utf-8") + ending)


class ParquetWriter(Writer):
    def __init__(self, path: str, text_field: str = "text"):
        super().__init__(path, text_field)
        self._rows: list[dict] = []
        self._schema = None
        self._parquet = None

    def write(self, record: Record) -> None:
        if record.raw is None or record.dropped:
            return
        row, self._schema = record.raw
        if row is None:
            return
        if record.doc is not None and record.doc.text != record.original_text:
            row = {**row, self.text_field: record.doc.text}
        self._rows.append(row)
        if len(self._rows) >= _PARQUET_BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self._rows and (self._parquet is not None or self._schema is None):
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._parquet is None:
            self._parquet = self._stack.enter_context(pq.ParquetWriter(self._out(), self._schema))
        table = pa.Table.from_pylist(self._rows, schema=self._schema)
        self._parquet.write_table(table)
        self.bytes_out += table.nbytes
        self._rows = []


_WRITERS = {"txt": TxtWriter, "jsonl": JsonlWriter, "parquet": ParquetWriter}


def open_writer(path: str, fmt: str, text_field: str = "text") -> Writer:
    return _WRITERS[fmt](path, text_field)
