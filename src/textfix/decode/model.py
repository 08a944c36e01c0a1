"""What `decode` returns."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """Bytes data[start:end] were decoded with `encoding` (only for mixed-encoding input)."""

    start: int
    end: int
    encoding: str


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # a Python codec name, or "mixed" when `regions` lists several
    confidence: float
    regions: tuple[Region, ...] = ()
    replaced: int = 0  # bytes that fit no encoding and became U+FFFD (never dropped silently)
