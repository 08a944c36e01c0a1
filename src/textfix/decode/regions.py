"""Decoding non-UTF-8 input, line region by line region.

Scraped files often mix encodings: UTF-8 lines with lines pasted from a GBK page. Lines
valid as UTF-8 stay UTF-8; the other lines are decoded with the legacy encoding detected
on all of them together (more bytes, surer detection), or, for a line that encoding
cannot decode, with one detected on that line alone. In a file that is otherwise UTF-8,
a line with a few stray bytes stays UTF-8: its stray bytes become U+FFFD, counted in
`Decoded.replaced`, rather than the whole line turning into legacy-codec mojibake.
"""
from __future__ import annotations

from typing import Callable

from .errors import DecodeError
from .model import Decoded, Region

Detector = Callable[[bytes], "tuple[str, float]"]
# A line whose UTF-8 reading replaces at most this share of its non-ASCII bytes is UTF-8
# with stray bytes; legacy CJK text read as UTF-8 replaces nearly all of them.
_STRAY_SHARE = 0.1
_HIGH_BYTES = bytes(range(0x80, 0x100))


def decode_by_regions(data: bytes, detect: Detector) -> Decoded:
    lines = data.splitlines(keepends=True)
    utf8_lines = [_utf8_or_none(line) for line in lines]
    legacy_bytes = b"".join(line for line, text in zip(lines, utf8_lines) if text is None)
    has_utf8_non_ascii = any(text is not None and not text.isascii() for text in utf8_lines)
    try:
        codec, confidence = detect(legacy_bytes)
    except DecodeError:
        if not has_utf8_non_ascii:
            raise
        codec, confidence = None, 0.5  # UTF-8 with stray bytes: handled line by line
    if not has_utf8_non_ascii:
        try:
            return Decoded(data.decode(codec), codec, confidence)
        except UnicodeDecodeError:
            pass  # some lines are in yet another encoding: fall through to per-line work

    parts: list[str] = []
    spans: list[Region] = []
    replaced = 0
    offset = 0
    for line, text in zip(lines, utf8_lines):
        line_codec = "utf-8"
        if text is None:
            text, line_codec, bad = _decode_line(line, codec, detect, has_utf8_non_ascii)
            replaced += bad
            if line_codec != codec or bad:
                confidence = min(confidence, 0.5)
        if line.isascii() and spans:
            line_codec = spans[-1].encoding  # ASCII bytes read the same in all: extend the region
        _extend(spans, Region(offset, offset + len(line), line_codec))
        parts.append(text)
        offset += len(line)
    encodings = {r.encoding for r in spans}
    name = encodings.pop() if len(encodings) == 1 else "mixed"
    return Decoded("".join(parts), name, confidence, tuple(spans) if name == "mixed" else (), replaced)


def _utf8_or_none(line: bytes) -> str | None:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _decode_line(line: bytes, codec: str | None, detect: Detector, utf8_file: bool) -> tuple[str, str, int]:
    """(text, codec, number of U+FFFD inserted) for a line that is not valid UTF-8."""
    as_utf8 = line.decode("utf-8", errors="replace")
    stray = as_utf8.count("\ufffd") - line.count("\ufffd".encode("utf-8"))
    non_ascii = len(line) - len(line.translate(None, _HIGH_BYTES))
    if utf8_file and stray <= _STRAY_SHARE * non_ascii:
        return as_utf8, "utf-8", stray
    for candidate in (codec, None) if codec else (None,):
        try:
            own = candidate or detect(line)[0]
            return line.decode(own), own, 0
        except (DecodeError, UnicodeDecodeError):
            continue
    if codec is None:
        return as_utf8, "utf-8", stray
    text = line.decode(codec, errors="replace")
    return text, codec, text.count("\ufffd")


def _extend(spans: list[Region], region: Region) -> None:
    if spans and spans[-1].encoding == region.encoding and spans[-1].end == region.start:
        spans[-1] = Region(spans[-1].start, region.end, region.encoding)
    else:
        spans.append(region)
