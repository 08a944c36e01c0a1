"""Readers: a path (or "-" for stdin) -> a stream of Records, one document at a time.

JSONL and Parquet are streamed (line by line, batch by batch), never loaded whole; a .txt
file is one document, so it is read whole. A problem with one line becomes an error
record naming `path:line`; a problem with the file becomes one error record for the file.
"""
from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path
from typing import BinaryIO, Iterator

from ..decode import BinaryInputError, DecodeError, decode
from ..document import Document
from .formats import compression_of
from .records import Record

STDIN = "-"
_PARQUET_BATCH = 1024


def read(path: str, fmt: str, text_field: str = "text") -> Iterator[Record]:
    source = "<stdin>" if path == STDIN else path
    try:
        if fmt == "txt":
            yield _read_txt(path, source)
        elif fmt == "jsonl":
            yield from _read_jsonl(path, source, text_field)
        elif fmt == "parquet":
            yield from _read_parquet(path, source, text_field)
        else:
            raise ValueError(f"unknown format {fmt!r}")
    except (OSError, EOFError, ValueError) as err:  # unreadable, truncated or corrupt file
        yield Record(source, None, None, error=_os_error(err))


def _os_error(err: Exception) -> str:
    reason = getattr(err, "strerror", None) or str(err) or type(err).__name__
    return reason[0].lower() + reason[1:] if reason else type(err).__name__


def _open_binary(path: str) -> BinaryIO:
    if path == STDIN:
        return sys.stdin.buffer
    if Path(path).is_dir():
        raise IsADirectoryError(21, "Is a directory", path)
    compression = compression_of(path)
    if compression == "gzip":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if compression == "zstd":
        return io.BufferedReader(_ZstdStream(path))
    return open(path, "rb")


class _ZstdStream(io.RawIOBase):
    """Decompresses a .zst file frame after frame, and raises on a truncated last frame
    (zstandard's stream_reader would end quietly, losing the tail without a word)."""

    _CHUNK = 1 << 20

    def __init__(self, path: str):
        import zstandard

        self._zstd = zstandard
        self._file = open(path, "rb")
        self._decompressor = zstandard.ZstdDecompressor().decompressobj()
        self._pending = b""
        self._started = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            chunk = self._file.read(self._CHUNK)
            if not chunk:
                if self._started and not self._decompressor.eof:
                    raise EOFError("zstd stream ends in the middle of a frame (truncated file)")
                return 0
            self._pending = self._decompress(chunk)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def _decompress(self, chunk: bytes) -> bytes:
        out = []
        try:
            while chunk:
                if self._decompressor.eof:  # next frame
                    self._decompressor = self._zstd.ZstdDecompressor().decompressobj()
                self._started = True
                out.append(self._decompressor.decompress(chunk))
                chunk = self._decompressor.unused_data if self._decompressor.eof else b""
        except self._zstd.ZstdError as err:
            raise ValueError(f"zstd: {err}") from None
        return b"".join(out)

    def close(self) -> None:
        self._file.close()
        super().close()


def decode_warnings(decoded) -> list[str]:
    warnings = []
    if decoded.encoding not in ("utf-8", "utf-8-sig", "ascii"):
        warnings.append(f"decoded as {decoded.encoding} (confidence {decoded.confidence:.2f})")
    if decoded.replaced:
        warnings.append(f"{decoded.replaced} undecodable bytes replaced by U+FFFD")
    return warnings


def _read_txt(path: str, source: str) -> Record:
    with _open_binary(path) as handle:
        data = handle.read()
    try:
        decoded = decode(data)
    except BinaryInputError as err:
        return Record(source, None, None, size=len(data), warnings=[f"skipped: {err}"], skipped=True)
    except DecodeError as err:
        return Record(source, None, None, size=len(data), error=f"cannot decode: {err}")
    doc = Document(decoded.text, id=source, metadata={"encoding": decoded.encoding})
    return Record(source, None, doc, raw=data, size=len(data), warnings=decode_warnings(decoded),
                  original_text=decoded.text, encoding=decoded.encoding,
                  verbatim=decoded.encoding in ("utf-8", "utf-8-sig") and not decoded.replaced)


def _read_jsonl(path: str, source: str, text_field: str) -> Iterator[Record]:
    with _open_binary(path) as handle:
        number = 0
        for number, line in enumerate(handle, start=1):
            yield _jsonl_record(line, source, number, text_field)
    if number == 0:
        yield Record(source, None, None, raw=b"")  # an empty file still gets its (empty) output


def parse_jsonl_line(line: bytes) -> tuple[dict | None, str]:
    """The JSON object on a line (None for a blank line) and the encoding of the line."""
    try:
        text, encoding = line.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        decoded = decode(line)  # JSON should be UTF-8, but scraped lines are not always
        text, encoding = decoded.text, decoded.encoding
    if not text.strip():
        return None, encoding
    obj = json.loads(text)
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    return obj, encoding


def _jsonl_record(line: bytes, source: str, number: int, text_field: str) -> Record:
    record = Record(source, number, None, raw=line, size=len(line))
    try:
        obj, record.encoding = parse_jsonl_line(line)
    except (ValueError, DecodeError) as err:  # json.JSONDecodeError is a ValueError
        record.error = f"invalid JSON ({err}); line copied unchanged"
        return record
    if obj is None:
        return record  # blank line: copied unchanged
    if record.encoding != "utf-8":
        record.warnings.append(f"line decoded as {record.encoding}, written back as UTF-8")
    text = obj.get(text_field)
    if not isinstance(text, str):
        what = "no" if text_field not in obj else f"a non-string ({type(text).__name__})"
        record.error = f'{what} "{text_field}" field; line copied unchanged'
        return record
    # The other fields, for stages that want them (url, lang ...); the text is not
    # duplicated there, it would travel twice to worker processes.
    fields = {k: v for k, v in obj.items() if k != text_field}
    record.doc = Document(text, id=str(obj.get("id", f"{source}:{number}")), metadata=fields)
    record.original_text = text
    record.verbatim = record.encoding == "utf-8"
    return record


def _read_parquet(path: str, source: str, text_field: str) -> Iterator[Record]:
    import pyarrow.parquet as pq

    if path == STDIN:
        raise ValueError("Parquet cannot be streamed from stdin")
    parquet = pq.ParquetFile(path)
    schema = parquet.schema_arrow
    if text_field not in schema.names:
        yield Record(source, None, None, error=f'no "{text_field}" column')
        return
    row_number = 0
    for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH):
        rows = batch.to_pylist()
        size = batch.nbytes // max(1, len(rows))
        for row in rows:
            row_number += 1
            record = Record(source, row_number, None, raw=(row, schema), size=size)
            text = row[text_field]
            if isinstance(text, str):
                fields = {k: v for k, v in row.items() if k != text_field}
                record.doc = Document(text, id=str(row.get("id", f"{source}:{row_number}")), metadata=fields)
                record.original_text = text
            elif text is not None:
                record.error = f'"{text_field}" is not a string; row copied unchanged'
            yield record
    if row_number == 0:
        yield Record(source, None, None, raw=(None, schema))  # empty table: written with its schema
