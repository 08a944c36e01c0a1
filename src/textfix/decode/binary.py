"""Is this text at all? Binary files are skipped, never turned into text."""
from __future__ import annotations

_SIGNATURES = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"\x28\xb5\x2f\xfd",
    b"\x7fELF", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf", b"Rar!", b"PAR1", b"SQLite format 3", b"\x00asm",
    b"MZ", b"RIFF", b"OggS", b"ID3", b"fLaC",
)
# Control bytes that real text files do not contain (all but tab, newlines, form feed, escape).
_BINARY_CONTROLS = bytes(b for b in range(0x20) if b not in b"\t\n\r\x0c\x0b\x1b")
_SAMPLE = 8192
_MAX_CONTROL_SHARE = 0.05


def looks_binary(data: bytes) -> bool:
    """Called after BOM and UTF-16/32 sniffing, so any NUL byte left means binary."""
    if data.startswith(_SIGNATURES):
        return True
    sample = data[:_SAMPLE]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _BINARY_CONTROLS))
    return controls > _MAX_CONTROL_SHARE * len(sample)
