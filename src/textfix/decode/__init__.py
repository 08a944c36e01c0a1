"""Bytes -> text. `decode(data)` returns a `Decoded`; binary or undecodable input raises.

Order of checks: empty, BOM, binary sniffing, UTF-8 fast path (with a truncated final
sequence tolerated and counted), UTF-16/32 without BOM, then legacy detection
(`detect.py`); a file that mixes valid UTF-8 lines with legacy-encoded lines is decoded
line region by line region (`regions.py`).
"""
from __future__ import annotations

from .binary import looks_binary
from .bom import strip_bom
from .errors import BinaryInputError, DecodeError
from .model import Decoded, Region
from .regions import decode_by_regions
from .utf16 import sniff_utf16_32
from .detect import detect_legacy

__all__ = ["decode", "Decoded", "Region", "DecodeError", "BinaryInputError"]

# A UTF-8 sequence is at most 4 bytes: an error this close to the end is a cut, not a lie.
_MAX_UTF8_TAIL = 3


def decode(data: bytes) -> Decoded:
    if not data:
        return Decoded("", "utf-8", 1.0)
    bom = strip_bom(data)
    if bom is not None:
        return bom
    utf16 = sniff_utf16_32(data)
    if utf16 is not None:
        return utf16
    if looks_binary(data):
        raise BinaryInputError("binary data (NUL or control bytes, or a known binary signature)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", 1.0)
    except UnicodeDecodeError as err:
        head = data[: err.start].decode("utf-8")
        # Only a file that already proved to be UTF-8 (non-ASCII before) was cut short.
        if err.start >= len(data) - _MAX_UTF8_TAIL and err.reason == "unexpected end of data" and not head.isascii():
            return Decoded(head + "\ufffd", "utf-8", 0.9, replaced=len(data) - err.start)
    return decode_by_regions(data, detect_legacy)
