"""Fixer: undo one or two rounds of text decoded with the wrong CJK or Latin codec.

A run of improbable characters is re-encoded with the codec that misread it and decoded with
the one it was written in (UTF-8 read as GBK, Big5, Shift-JIS, EUC-KR or cp1252; GBK, Big5,
Shift-JIS or EUC-KR read as latin-1/cp1252; Big5 and GBK confused). Strict codecs make most
wrong chains fail outright; the character model decides between the ones that survive.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from ..document import Edit
from .model import CharModel

# (codec the bytes were misread with, codec they were written in)
CHAINS: tuple[tuple[str, str], ...] = (
    ("gbk", "utf-8"), ("big5", "utf-8"), ("shift_jis", "utf-8"), ("euc_kr", "utf-8"),
    ("gb18030", "utf-8"), ("cp1252", "utf-8"), ("latin-1", "utf-8"),
    ("latin-1", "gbk"), ("cp1252", "gbk"), ("latin-1", "big5"), ("cp1252", "big5"),
    ("latin-1", "shift_jis"), ("cp1252", "shift_jis"), ("latin-1", "euc_kr"), ("cp1252", "euc_kr"),
    ("gbk", "big5"), ("big5", "gbk"),
)
# A repaired run must gain this many nats per character over the run as it stands.
PER_CHAR_GAIN = 2.0
MIN_TOTAL_GAIN = 8.0
COMMON_COUNT = 2000  # characters seen at least this often are ordinary text


@lru_cache(maxsize=1)
def rare_pair(model: CharModel) -> regex.Pattern:
    """Two characters that real text rarely has, close together: the seed of a suspicious run."""
    common = "".join(sorted(c for c, n in model._uni.items() if n >= COMMON_COUNT and ord(c) > 0x7F))
    rare = (rf"[\p{{Han}}\p{{Hangul}}\p{{Hiragana}}\p{{Katakana}}\u0080-\u024F\u2010-\u203A\uE000-\uF8FF"
            rf"--[{regex.escape(common)}]]")
    return regex.compile(rf"(?V1){rare}[^\x00-\x7F\s]{{0,2}}{rare}")


NON_ASCII_RUN = regex.compile(r"[^\x00-\x7F\s]+")


def suspicious_runs(text: str, model: CharModel) -> list[tuple[int, int]]:
    """Whole non-ASCII runs that contain a rare pair (a codec misreads runs, not single chars)."""
    spans: list[tuple[int, int]] = []
    for m in rare_pair(model).finditer(text):
        if spans and m.start() < spans[-1][1]:
            continue
        start = m.start()
        while start and text[start - 1] > "\x7f" and not text[start - 1].isspace():
            start -= 1
        run = NON_ASCII_RUN.match(text, start)
        spans.append((start, run.end()))
    return spans


def _attempts(run: str):
    lossy = "\ufffd" in run
    for wrong, right in CHAINS:
        try:
            if lossy:  # bytes already lost stay lost: U+FFFD in, U+FFFD out
                once = run.encode(wrong, errors="replace").decode(right, errors="replace")
            else:
                once = run.encode(wrong).decode(right)
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        yield f"{right}-as-{wrong}", once
        for wrong2, right2 in CHAINS:  # mojibake of mojibake
            try:
                yield f"{right}-as-{wrong}, twice ({right2}-as-{wrong2})", once.encode(wrong2).decode(right2)
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue


def find_reencode_edits(text: str, model: CharModel) -> list[Edit]:
    edits = []
    for start, end in suspicious_runs(text, model):
        run = text[start:end]
        prev = text[start - 1] if start else ""
        nxt = text[end] if end < len(text) else ""
        base = model.score(run + nxt, prev)
        best = None
        for mechanism, candidate in _attempts(run):
            if not candidate or any(ord(c) < 0x20 and c not in "\t\n" for c in candidate):
                continue
            gain = model.score(candidate + nxt, prev) - base
            if gain >= max(MIN_TOTAL_GAIN, PER_CHAR_GAIN * len(candidate)) and (best is None or gain > best[0]):
                best = (gain, mechanism, candidate)
        if best:
            gain, mechanism, candidate = best
            edits.append(Edit(start, end, candidate, mechanism, min(0.99, gain / (gain + 10.0))))
    return edits
