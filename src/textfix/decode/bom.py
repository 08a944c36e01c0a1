"""Byte order marks: when one is present it decides the encoding."""
from __future__ import annotations

import codecs

from .errors import DecodeError
from .model import Decoded

# UTF-32-LE's BOM starts with UTF-16-LE's, so the longer marks are tried first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def strip_bom(data: bytes) -> Decoded | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as err:
                raise DecodeError(f"{encoding} byte order mark, but byte {err.start + len(bom)} is invalid: {err.reason}") from None
            name = "utf-8-sig" if encoding == "utf-8" else encoding.replace("-le", "").replace("-be", "")
            return Decoded(text, name, 1.0)
    return None
