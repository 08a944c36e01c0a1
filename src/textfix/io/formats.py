"""Formats by file name: one document per .txt; one per line of .jsonl[.gz|.zst]; one per Parquet row."""
from __future__ import annotations

FORMATS = ("txt", "jsonl", "parquet")
_SUFFIXES = (
    (".jsonl.gz", "jsonl"),
    (".jsonl.zst", "jsonl"),
    (".jsonl", "jsonl"),
    (".parquet", "parquet"),
    (".txt", "txt"),
)


def format_of(name: str, default: str | None = None) -> str | None:
    """The format a file name implies, or `default` for unknown extensions."""
    lower = name.lower()
    for suffix, fmt in _SUFFIXES:
        if lower.endswith(suffix):
            return fmt
    return default


def compression_of(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith(".gz"):
        return "gzip"
    if lower.endswith(".zst"):
        return "zstd"
    return None


def is_supported(name: str) -> bool:
    return format_of(name) is not None
