"""UTF-16 and UTF-32 without a BOM, recognised by where their NUL bytes fall."""
from __future__ import annotations

from .model import Decoded

_SAMPLE = 4096
# In UTF-16 text with any ASCII, every ASCII character has a NUL on one side.
_MIN_NUL_SHARE = 0.2


def sniff_utf16_32(data: bytes) -> Decoded | None:
    if len(data) % 2 or b"\x00" not in data[:_SAMPLE]:
        return None
    sample = data[:_SAMPLE]
    candidates = []
    if len(data) % 4 == 0:
        candidates += ["utf-32-le", "utf-32-be"]
    candidates += ["utf-16-le", "utf-16-be"]
    for encoding in candidates:
        if not _nul_pattern_fits(sample, encoding):
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return Decoded(text, encoding, 0.95)
    return None


def _nul_pattern_fits(sample: bytes, encoding: str) -> bool:
    unit = 4 if "32" in encoding else 2
    # Position of the byte that is NUL for ASCII characters within each code unit.
    high = (unit - 1) if encoding.endswith("le") else 0
    units = len(sample) // unit
    nul_high = sum(1 for i in range(units) if sample[i * unit + high] == 0)
    nul_low = sum(1 for i in range(units) if sample[i * unit + (unit - 1 - high)] == 0)
    return nul_high >= _MIN_NUL_SHARE * units and nul_low <= 0.02 * units


def _plausible(text: str) -> bool:
    sample = text[:2048]
    bad = sum(1 for c in sample if (c < " " and c not in "\t\n\r\x0c") or "\ue000" <= c <= "\uf8ff")
    return bad <= 0.02 * len(sample)
