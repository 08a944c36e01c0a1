"""Fixer: re-synchronise double-byte lines (GBK, Big5, EUC-KR) damaged by lost bytes, swallowed
bytes and misalignment."""
from __future__ import annotations

import difflib

import regex

from ..document import Edit
from .model import BOL, EOL, CharModel
from .reencode import CJK, CJK_TEXT, rare_pair
from .resync import CODECS, LOST, TRIGGER, char_bytes, search

# Each repaired block must beat the text it replaces by this many nats (log-probability) ...
BLOCK_MARGIN = 4.0
# ... and by this many when that text holds no rare pair
CLEAN_BLOCK_MARGIN = 10.0
# Differing blocks closer than this are judged together: they share one damaged run.
JOIN_GAP = 2
# A line with more lost marks than this was not damaged byte by byte in a GBK stream (it is a
# whole-line codec error, the codec-chain fixer's case), and the search would explode.
MAX_LOST_MARKS = 24


def _blocks(before: str, after: str):
    """Differing (i1, i2, j1, j2) blocks of two strings, nearby ones merged."""
    merged: list[list[int]] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if merged and i1 - merged[-1][1] <= JOIN_GAP and j1 - merged[-1][3] <= JOIN_GAP:
            merged[-1][1], merged[-1][3] = i2, j2
        else:
            merged.append([i1, i2, j1, j2])
    return merged


def _contested(line: str, path) -> set[int]:
    """Positions of `line` where a rival reading disagrees with the best one."""
    best_blocks = {(i1, i2, path.out[j1:j2]) for i1, i2, j1, j2 in _blocks(line, path.out)}
    contested: set[int] = set()
    for rival in path.rivals:
        for i1, i2, j1, j2 in _blocks(line, rival):
            if (i1, i2, rival[j1:j2]) not in best_blocks:
                contested.update(range(i1, max(i2, i1 + 1)))
    return contested


# The stretch around each trigger that is searched: a misaligned run ends where an ASCII byte
# resynchronises the decoder, rarely far away; bounding it keeps a 20 MB line tractable.
WINDOW_BEFORE = 2
WINDOW_AFTER = 600


def _windows(line: str) -> list[tuple[int, int]]:
    spans: list[list[int]] = []
    for m in TRIGGER.finditer(line):
        start, end = max(0, m.start() - WINDOW_BEFORE), min(len(line), m.end() + WINDOW_AFTER)
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return [(a, b) for a, b in spans]


def find_resync_edits(text: str, model: CharModel) -> list[Edit]:
    edits: list[Edit] = []
    offset = 0
    # a page that was NFKC-folded keeps ASCII punctuation: fullwidth forms the re-decoding
    # brought back (needed to get the bytes right) are folded again; a page that shows no
    # punctuation after CJK outside its damage keeps what the bytes say
    folded = not FULLWIDTH.search(text) and FOLDED_PUNCTUATION.search(text) is not None
    for line in text.split("\n"):
        for start, end in _windows(line) if TRIGGER.search(line) else ():
            window = line[start:end]
            if sum(window.count(c) for c in LOST) <= MAX_LOST_MARKS:
                prev = line[start - 1] if start else BOL
                nxt = line[end] if end < len(line) else EOL
                edits.extend(_line_edits(window, offset + start, model, prev, nxt, folded))
        offset += len(line) + 1
    return edits


FULLWIDTH = regex.compile(r"[\uFF01-\uFF5E]")
FOLDED_PUNCTUATION = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}][,.:;!]")
LOST_RUN = regex.compile(r"(?<=[^\x00-\x7F])[?\ufffd]{2,}|[?\ufffd]{2,}(?=[^\x00-\x7F])")


def _left_as_is(line: str, offset: int, edits: list[Edit]) -> list[Edit]:
    """Runs of lost marks beside CJK text that no edit touched: reported, not guessed."""
    touched = [(e.start - offset, e.end - offset) for e in edits]
    return [
        Edit(offset + m.start(), offset + m.end(), m.group(), "suspicious: lost bytes left as they are", 0.0)
        for m in LOST_RUN.finditer(line)
        if not any(s < m.end() and m.start() < e for s, e in touched)
    ]


def _line_edits(line: str, offset: int, model: CharModel, prev: str, nxt: str, folded: bool) -> list[Edit]:
    edits = _decided_edits(line, offset, model, prev, nxt, folded)
    return edits + _left_as_is(line, offset, edits)


# How the mechanisms name each codec.
LABEL = {"gb18030": "gbk", "big5": "big5", "cp949": "euc-kr", "shift_jis": "shift_jis"}
KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
HANGUL = regex.compile(r"\p{Hangul}")


# Share of a line's characters that must have bytes in a codec for its decoder to have made
# the line (a GBK decoder also makes private-use characters of user-defined codes; a Big5 or
# UHC decoder makes nothing outside its codec, and simplified text mostly leaves Big5 out).
IN_CODEC = {"gb18030": 0.8, "big5": 1.0, "cp949": 1.0, "shift_jis": 1.0}
# How much better than GBK's reading another codec's must score to be taken.
OTHER_CODEC_MARGIN = 6.0
# Share of kana above which a line is Japanese.
JAPANESE_KANA = 0.2


def _codecs(line: str) -> list[str]:
    """The codecs whose decoder may have made `line`: Shift-JIS for Japanese, EUC-KR for
    Hangul, else GBK and Big5."""
    wide = [c for c in line if c > "\x7f" and c not in LOST]
    if len(CJK.findall(line)) * 2 < len(wide) or not wide:
        return []  # not CJK text (`goodness�¢�� sake` is UTF-8 read as Western, ftfy's case)
    if len(KANA.findall(line)) > JAPANESE_KANA * len(wide):
        codecs = ["shift_jis"]  # (a few kana are GBK's kana rows read out of step)
    elif HANGUL.search(line):
        codecs = ["cp949"]
    else:
        codecs = ["gb18030", "big5"]
    return [codec for codec in codecs if sum(1 for c in wide if char_bytes(c, codec)) >= IN_CODEC[codec] * len(wide)]


def _decided_edits(line: str, offset: int, model: CharModel, prev: str, nxt: str, folded: bool) -> list[Edit]:
    """Edits from re-decoding `line` (a window of a text line between `prev` and `nxt`) in the
    codec whose reading scores best (a traditional text's bytes are as often Big5 as GBK)."""
    paths = [(search(model, line, prev, nxt, codec), codec) for codec in _codecs(line)]
    if not paths:
        return []
    # GBK (the common case, and the codec of seed 001's converters) unless another reads
    # clearly better: Big5 finds a reading for almost any `?` beside an ASCII letter (`?G`
    # is `：`)
    path, codec = max(paths, key=lambda pc: pc[0].score - (0.0 if pc[1] == CODECS[0] else OTHER_CODEC_MARGIN))
    if path.out == line:
        return []
    unsure = set(path.unsure)
    # the mechanism: misaligned when the stream was out of step, else lost bytes
    kind = "misaligned" if {"misaligned-annotation", "nfkc-undone"} & set(path.kinds) else "lost-bytes"
    reason = f"{kind}-{LABEL[codec]}"
    edits = []
    rare = rare_pair(model)
    contested = _contested(line, path)
    # Where the rivals differ from the best reading only in the characters resting on an
    # unknown byte, everything else is certain: those characters become one mark each (the
    # unsure ones, and those a rival reads otherwise).
    resting = {i for i, _ in path.uncertain}
    only_lost_differ = bool(resting) and all(_same_but(rival, path.out, resting) for rival in path.rivals)
    if only_lost_differ:
        unsure |= {k for rival in path.rivals for k, (a, b) in enumerate(zip(rival, path.out)) if a != b}
    for i1, i2, j1, j2 in _blocks(line, path.out):
        reading = path.out[j1:j2]
        doubt = any(j1 <= u < j2 for u in unsure) or any(i1 <= c < i2 for c in contested)
        marked = doubt and only_lost_differ and j2 - j1 >= MIN_MARKED_BLOCK
        if doubt and not marked:
            # undecidable: left as it is, reported (a no-op edit the stage keeps as suspicious)
            edits.append(Edit(offset + i1, offset + i2, line[i1:i2], f"suspicious: {reason}, undecided", 0.0))
            continue
        before = line[i1 - 1] if i1 else prev
        after = line[i2] if i2 < len(line) else nxt
        if _cuts_latin_word(line[i1:i2], before, after):
            continue  # `?GPT` is a question mark before a word, not a lost lead whose trail is `G`
        if _lone_letters(before + reading + after) > _lone_letters(before + line[i1:i2] + after):
            continue  # `歟?蓋` is not `歟由w`: a trail byte read as a letter alone amid CJK
        if CJK_TEXT.fullmatch(line[i1:i2]) and not CJK_TEXT.fullmatch(reading):
            continue  # a repair does not bring in box drawing or Greek (`?([` is not `。╗`)
        if marked:  # scored as it will read: a guess is not what replaces the text
            reading = "".join("\ufffd" if j1 + k in unsure else ch for k, ch in enumerate(reading))
        as_is = line[i1:i2] + after
        if folded:  # the model learned `？` after CJK; NFKC made it `?`, which it finds odd
            as_is = _unfolded(as_is, before)
        gain = model.score(reading + after, before) - model.score(as_is, before)
        # text with no rare pair reads as text already: a lost mark beside it need not mean
        # that it was read out of step (UTF-8 loses whole characters, and the rest is right)
        margin = BLOCK_MARGIN if rare.search(before + line[i1:i2] + after) else CLEAN_BLOCK_MARGIN
        if gain >= margin:
            out = FULLWIDTH.sub(lambda m: chr(ord(m.group()) - 0xFEE0), reading) if folded else reading
            label = f"{reason}, lost character marked" if marked else reason
            edits.append(Edit(offset + i1, offset + i2, out, label, min(0.99, gain / (gain + 10.0))))
    return edits


# A block is realigned around unsure lost characters only when it is this long: in a short
# one the marks would be most of what changes.
MIN_MARKED_BLOCK = 3


UNFOLD = {"?": "？", "!": "！", ",": "，", ":": "：", ";": "；", "(": "（", ")": "）"}
LONE_LETTER = regex.compile(r"(?<=[^\x00-\x7f])[A-Za-z](?=[^\x00-\x7f])")


def _lone_letters(text: str) -> int:
    return len(LONE_LETTER.findall(text))


def _unfolded(text: str, before: str) -> str:
    """ASCII punctuation right after a CJK character as its fullwidth form (undoing NFKC)."""
    out = []
    wide = bool(CJK.match(before or " "))
    for ch in text:
        unfold = ch in UNFOLD and wide
        out.append(UNFOLD[ch] if unfold else ch)
        wide = unfold or bool(CJK.match(ch))
    return "".join(out)


def _cuts_latin_word(span: str, before: str, after: str) -> bool:
    """Does replacing `span` cut an ASCII word (letters or digits on both sides of an edge)?"""
    def word(c: str) -> bool:
        return c.isascii() and c.isalnum()
    return bool(span) and (word(span[-1]) and word(after) or word(span[0]) and word(before))


def _same_but(rival: str, best: str, positions: set[int]) -> bool:
    return len(rival) == len(best) and all(a == b or k in positions for k, (a, b) in enumerate(zip(rival, best)))
