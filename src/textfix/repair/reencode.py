"""Fixer: undo one or two rounds of text decoded with the wrong CJK or Latin codec.

A run of improbable characters is re-encoded with the codec that misread it and decoded with
the one it was written in (UTF-8 read as GBK, Big5, Shift-JIS, EUC-KR or cp1252; GBK, Big5,
Shift-JIS or EUC-KR read as latin-1/cp1252; Big5 and GBK confused). Strict codecs make most
wrong chains fail outright; the character model decides between the ones that survive.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import regex

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252: cp1252 that keeps C1 bytes)

from ..document import Edit
from . import lattice
from .model import BOL, EOL, CharModel

# (codec the bytes were misread with, codec they were written in)
CHAINS: tuple[tuple[str, str], ...] = (
    ("gbk", "utf-8"), ("big5", "utf-8"), ("shift_jis", "utf-8"), ("euc_kr", "utf-8"),
    ("gb18030", "utf-8"), ("sloppy-windows-1252", "utf-8"), ("latin-1", "utf-8"),
    ("latin-1", "gbk"), ("sloppy-windows-1252", "gbk"), ("latin-1", "big5"), ("sloppy-windows-1252", "big5"),
    ("latin-1", "shift_jis"), ("sloppy-windows-1252", "shift_jis"), ("latin-1", "euc_kr"), ("sloppy-windows-1252", "euc_kr"),
    ("gbk", "big5"), ("big5", "gbk"),
)
# A repaired run must gain this many nats per character over the run as it stands.
PER_CHAR_GAIN = 2.0
MIN_TOTAL_GAIN = 8.0
# Average log-probability per char below which a candidate is not text in any language modelled.
PLAUSIBLE_LOGP = -11.0  # characters seen at least this often are ordinary text
# ... unless the reading gains this much per character: man pages' and classical poetry's
# rarer characters read worse than news, yet far better than their mojibake.
OVERWHELMING_GAIN = 10.0
OVERWHELMING_WESTERN_LEN = 16


# Latin-1 and cp1252 letters and C1 bytes (what a Western code page makes of CJK bytes) ...
LATIN_LETTERS = r"\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
# ... and the same with cp1252's punctuation, which alone is ordinary text
LATIN_SPECIALS = r"\u0080-\u009f\u00a1-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122"


@lru_cache(maxsize=1)
def rare_pair(model: CharModel) -> re.Pattern:
    """Two characters that real text rarely has, close together: the seed of a suspicious run."""
    rare = model.rare_class()
    # a Latin-1/cp1252 letter beside another such character is how CJK bytes look when a
    # Western code page read them
    latin_pair = rf"[{LATIN_LETTERS}][{LATIN_SPECIALS}]|[{LATIN_SPECIALS}][{LATIN_LETTERS}]"
    rare = rare[:-1] + "\ufffd]"  # a replacement mark is as telling as a rare character
    return re.compile(rf"{latin_pair}|{rare}[^\x00-\x7F\s]{{0,2}}{rare}")


NON_ASCII = regex.compile(r"[^\x00-\x7F]")
# the scripts a legacy CJK codec decodes to (shared with the other fixers)
CJK_CLASS = r"[\p{Han}\p{Hangul}\p{Hiragana}\p{Katakana}]"
CJK = regex.compile(CJK_CLASS)
# A run of non-ASCII text; single ASCII characters inside it may be trail bytes (Big5,
# Shift-JIS and GBK trails reach down to 0x40) and belong to the run.
NON_ASCII_RUN = regex.compile(r"[^\x00-\x7F\s]+(?:[\x40-\x7e][^\x00-\x7F\s]+)*")
# Legacy double-byte codes read as a Western code page: trail bytes 0x40-0x7E come out as ASCII
LATIN_RUN = regex.compile(rf"[{LATIN_SPECIALS}\x21-\x7e\xa0\ufffd]+")  # NBSP is byte A0 in a UTF-8 run
LATIN_ONLY = regex.compile(rf"[{LATIN_SPECIALS}]+")


def suspicious_runs(text: str, model: CharModel) -> list[tuple[int, int]]:
    """Whole runs that contain a rare pair (a codec misreads runs, not single chars)."""
    spans: list[tuple[int, int]] = []
    for m in rare_pair(model).finditer(text):
        if spans and m.start() < spans[-1][1]:
            continue
        latin = LATIN_ONLY.fullmatch(m.group()) is not None
        run_class = LATIN_RUN if latin else NON_ASCII_RUN
        start = _run_start(text, m.start(), spans[-1][1] if spans else 0, latin)
        run = run_class.match(text, start)
        spans.append((start, max(run.end() if run else start, m.end())))
    return spans


def _run_start(text: str, pos: int, floor: int, latin: bool) -> int:
    """Where the run holding text[pos] begins (see LATIN_RUN and NON_ASCII_RUN)."""
    def wide(c: str) -> bool:
        return c > "\x7f" and not c.isspace()

    i = pos
    while i > floor:
        c = text[i - 1]
        if latin:
            ok = LATIN_RUN.fullmatch(c) is not None  # (includes NBSP, unlike the isspace test)
        else:
            ok = wide(c) or ("\x40" <= c <= "\x7e" and i - 2 >= floor and wide(text[i - 2]))
        if not ok:
            break
        i -= 1
    return i


# What a legacy CJK codec decodes real text to: CJK, kana, Hangul, their punctuation, ASCII.
CJK_TEXT = regex.compile(r"[\x00-\x7f\u00b7\u2010-\u2027\u2030-\u203b\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u2160-\u217f\u2460-\u24ff\U00020000-\U0003134f]+")


# (Hangul may follow a Latin word: Korean particles attach to any noun, `template0을`)
CONTEXT = 30  # characters either side that tell whether the neighbourhood is CJK text
GLUED = regex.compile(r"[A-Za-z][\p{Han}\p{Hiragana}\p{Katakana}]|[\p{Han}\p{Hangul}\p{Hiragana}\p{Katakana}][A-Za-z]")
SANDWICHED = regex.compile(r"[A-Za-z][\p{Han}\p{Hangul}\p{Hiragana}\p{Katakana}]+[A-Za-z]")


def _reads_as_cjk(candidate: str, prev: str, nxt: str, strict: bool = False, around: str = "") -> bool:
    """A CJK reading must be all CJK-script text (no Greek or box drawing from a codec's odd
    rows) and must not sit inside a Latin word (`Ecuador鈥檚` is `Ecuador’s` misread). Strict
    (for short runs, where evidence is thin): no CJK glued to a Latin letter at all."""
    if not CJK_TEXT.fullmatch(candidate):
        return False
    wide = candidate + around
    if len(CJK.findall(wide)) >= 2 * sum(c.isascii() and c.isalpha() for c in wide):
        return True  # mostly CJK here: `iPhone和Android` is ordinary mixed text
    text = prev + candidate + nxt
    if GLUED.search(text) and not CJK.search(around) and _western_utf8_nearby(around):
        return False  # CJK glued to a Latin word amid UTF-8 read as Western (`pressure鈥檯`)
    return not (GLUED if strict else SANDWICHED).search(text)


def _western_utf8_nearby(around: str) -> bool:
    """Is some Western-looking run nearby UTF-8 read as latin-1/cp1252 (ftfy's case)?"""
    return any(_utf8_in_western(m.group()) for m in LATIN_ONLY.finditer(around) if len(m.group()) >= 2)


def _plausible(model: CharModel, candidate: str, gain: float, wrong: str, source: str) -> bool:
    """Does `candidate` (the reading of `source` misread as `wrong`) read like text?"""
    if _score(model, candidate) >= PLAUSIBLE_LOGP * len(candidate):
        return True
    # Rare characters are taken only from a CJK misreading, or from a long Western one whose
    # bytes are mostly not UTF-8 (Cyrillic or mojibake read as cp1252 has CJK readings as good;
    # a short run read as Western bytes has readings in several CJK codecs, not all its own).
    western = wrong in WESTERN and len(candidate) >= OVERWHELMING_WESTERN_LEN and not _mostly_utf8(source, wrong)
    overwhelming = gain >= OVERWHELMING_GAIN * len(candidate) and (wrong in DOUBLE_BYTE or western)
    return overwhelming and CJK_TEXT.fullmatch(candidate) is not None and len(CJK.findall(candidate)) * 2 >= len(candidate)


WESTERN = frozenset({"latin-1", "sloppy-windows-1252"})


def _mostly_utf8(source: str, wrong: str) -> bool:
    """Are most of the non-ASCII bytes of `source` (as `wrong` wrote them) valid UTF-8?"""
    data = source.encode(wrong, errors="replace")
    high = sum(b >= 0x80 for b in data)
    return data.decode("utf-8", errors="replace").count("\ufffd") * 2 < high


def _utf8_in_western(run: str) -> bool:
    """UTF-8 read as latin-1, cp1252 or MacRoman is ftfy's case, judged by its heuristics (the
    latin fixer); so is a Latin reading whose decoder replaced the bytes cp1252 lacks
    (`â€�` was `”`, E2 80 9D), where ftfy keeps the mark. A CJK one is ours: ftfy reads none."""
    lossy = "\ufffd" in run
    for codec in ("sloppy-windows-1252", "latin-1", "mac_roman"):
        try:
            if not lossy:
                run.encode(codec).decode("utf-8")
                return True
            # each mark stands for one continuation byte
            text = b"\x80".join(part.encode(codec) for part in run.split("\ufffd")).decode("utf-8")
            return not CJK.search(text)
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return False


def _inside_latin_word(text: str, start: int, end: int) -> bool:
    """A short run between ASCII letters is a Latin word's mojibake: ftfy's business."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return end - start <= 4 and (before.isascii() and before.isalpha() or after.isascii() and after.isalpha())


MAX_LOST_SHARE = 0.75


# Chains whose lost bytes are searched for (the search is costly): the best by a quick reading.
LOSSY_CHAINS = 3


def _likeliest(tried: dict[tuple[bytes, str], tuple[str, str]], model: CharModel) -> list[tuple[str, str]]:
    """The chains whose quick reading (lost bytes left out) reads best: fewest marks of its own,
    then likeliest characters."""
    def quick(key: tuple[bytes, str]) -> float:
        reading = key[0].decode(key[1], errors="replace")
        clean = reading.replace("\ufffd", "")
        return (model.score(clean) / len(clean) if clean else -99.0) - 5.0 * reading.count("\ufffd") / max(1, len(reading))
    ranked = sorted(tried, key=quick, reverse=True)
    return [tried[key] for key in ranked[:LOSSY_CHAINS]]


def _attempts(run: str, model: CharModel):
    lossy = "\ufffd" in run
    if run.count("\ufffd") > MAX_LOST_SHARE * len(run):
        return  # too little left to decide from
    tried: dict[tuple[bytes, str], tuple[str, str]] = {}
    for wrong, right in CHAINS:
        try:  # GBK and GB18030 (latin-1 and cp1252) often give the same bytes: decode them once
            key = (run.replace("\ufffd", "").encode(wrong), right)
        except UnicodeEncodeError:
            continue
        tried.setdefault(key, (wrong, right))
    chains = list(tried.values())
    if lossy:
        chains = _likeliest(tried, model)
    for wrong, right in chains:
        # each U+FFFD stands for one byte the misreading codec rejected
        decoded = _decode_chain(run, wrong, right, model)
        if decoded is None:
            continue
        once, how = decoded
        yield f"{right}-as-{wrong}{how}", once, right
        if right != "utf-8" or not rare_pair(model).search(once):
            continue  # the first undoing reads clean: no second round to undo
        # mojibake of mojibake: UTF-8 misread, saved as UTF-8, misread again
        for wrong2, right2 in ((w, r) for w, r in CHAINS if r == "utf-8"):
            try:
                yield f"{right}-as-{wrong}, twice ({right2}-as-{wrong2})", once.encode(wrong2).decode(right2), right2
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue


def find_reencode_edits(text: str, model: CharModel) -> list[Edit]:
    edits = []
    for start, end in suspicious_runs(text, model):
        run = text[start:end]
        if _inside_latin_word(text, start, end) or _utf8_in_western(run):
            continue
        prev = text[start - 1] if start else ""
        nxt = text[end] if end < len(text) else ""
        base = _score(model, run + nxt, prev)
        best = None
        # one CJK character takes two or three misread bytes: fewer cannot be CJK mojibake
        cjk_possible = len(NON_ASCII.findall(run)) >= 4
        for mechanism, candidate, written_in in _attempts(run, model):
            if not candidate or any(ord(c) < 0x20 and c not in "\t\n" for c in candidate):
                continue
            around = text[max(0, start - CONTEXT) : start] + text[end : end + CONTEXT]
            if (written_in != "utf-8" or CJK.search(candidate)) and \
                    (not cjk_possible or not _reads_as_cjk(candidate, prev, nxt, len(run) < 8, around)):
                continue  # a legacy CJK codec's reading must read as CJK text
            gain = _score(model, candidate + nxt, prev) - base
            if not _plausible(model, candidate, gain, (_chain_of(mechanism) or ("",))[0], run):
                continue  # less bad is not enough: the result must read like text
            if gain >= max(MIN_TOTAL_GAIN, PER_CHAR_GAIN * len(candidate)) and (best is None or gain > best[0]):
                best = (gain, mechanism, candidate)
        if best:
            gain, mechanism, candidate = best
            edits.append(Edit(start, end, candidate, mechanism, min(0.99, gain / (gain + 10.0))))
    edits += _same_codec_elsewhere(text, edits, model)
    return _follow_script(text, _whole_lines(text, edits, model), model)


# Runs longer than this are scored on a sample: the codec that misread a run misread all of it,
# and scoring megabytes character by character would not scale.
SCORE_SAMPLE = 2000


def _score(model: CharModel, text: str, prev: str = "") -> float:
    if len(text) <= SCORE_SAMPLE:
        return model.score(text, prev)
    head, tail = text[: SCORE_SAMPLE // 2], text[-SCORE_SAMPLE // 2 :]
    return (model.score(head, prev) + model.score(tail)) * len(text) / SCORE_SAMPLE


LOST_BYTES, DROPPED_BYTES = ", lost bytes restored", ", dropped bytes restored"
# A reading that fails this rarely (marks per character of a replace-decoding) may have
# lost bytes a decoder dropped without a mark (errors="ignore"); a wrong codec fails everywhere.
DROPPED_SHARE = 0.4


def _decode_chain(run: str, wrong: str, right: str, model: CharModel, prev: str = "", nxt: str = "",
                  avoid: frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """(reading of `run` as `right` bytes misread as `wrong`, how: "" or what was restored);
    `avoid`: characters of scripts the document does not use, for restored bytes."""
    try:
        if "\ufffd" in run:
            restored = lattice.restore([seg.encode(wrong) for seg in run.split("\ufffd")], wrong, right, model, prev, nxt, avoid)
            return (restored, LOST_BYTES) if restored is not None else None
        data = run.encode(wrong)
    except UnicodeEncodeError:
        return None
    try:
        return data.decode(right), ""
    except UnicodeDecodeError:
        pass
    if wrong not in DOUBLE_BYTE or right != "utf-8":
        return None  # a Western code page drops no byte; only UTF-8 says where one went
    marks = data.decode(right, errors="replace").count("\ufffd")
    if marks > DROPPED_SHARE * len(run):
        return None
    restored = lattice.restore([data], wrong, right, model, prev, nxt, avoid, dropped=True)
    return (restored, DROPPED_BYTES) if restored is not None else None


def _decode_span(text: str, start: int, end: int, wrong: str, right: str, model: CharModel):
    """(reading of text[start:end], end); a run whose last lead byte has its trail in the ASCII
    range just outside it (Big5 `上` = A4 57 = `�W`) takes that character in too."""
    decoded = _decode_chain(text[start:end], wrong, right, model)
    if decoded is None and end < len(text) and "\x40" <= text[end] <= "\x7e":
        decoded = _decode_chain(text[start : end + 1], wrong, right, model)
        if decoded is not None:
            return decoded[0], end + 1
    return (decoded[0] if decoded else None), end


def _same_codec_elsewhere(text: str, edits: list[Edit], model: CharModel) -> list[Edit]:
    """A codec that misread part of a document misread all of it: runs too short to stand out
    (one CJK character is only two or three bytes) get the chains proven in this document."""
    # the codec that explained the most characters first (`“` reads the same in GBK and EUC-KR)
    proven: Counter[str] = Counter()
    for e in edits:
        if "twice" not in e.reason:
            proven[e.reason.removesuffix(LOST_BYTES).removesuffix(DROPPED_BYTES)] += e.end - e.start
    chains = sorted(((w, r) for w, r in CHAINS if f"{r}-as-{w}" in proven), key=lambda c: -proven[f"{c[1]}-as-{c[0]}"])
    if not chains:
        return []
    covered = bytearray(len(text) + 1)  # positions already inside an edit
    for e in edits:
        covered[e.start : e.end] = b"\x01" * (e.end - e.start)
    extra = []
    for pattern in (LATIN_RUN, NON_ASCII_RUN):
        for m in pattern.finditer(text):
            start, end = m.span()
            if covered.find(1, start, end) != -1 or not NON_ASCII.search(m.group()):
                continue
            for wrong, right in chains:
                candidate, end = _decode_span(text, start, m.end(), wrong, right, model)
                # a Western-looking run must turn into CJK to count (else it is just accented Latin)
                if not candidate or candidate == m.group() or not (pattern is NON_ASCII_RUN or CJK.search(candidate)):
                    continue
                if right != "utf-8" or CJK.search(candidate):
                    before = text[start - 1] if start else ""
                    after = text[end] if end < len(text) else ""
                    around = text[max(0, start - CONTEXT) : start] + text[end : end + CONTEXT]
                    if not _reads_as_cjk(candidate, before, after, True, around):
                        continue
                if model.score(candidate) >= model.score(text[start:end]):
                    extra.append(Edit(start, end, candidate, f"{right}-as-{wrong} (same codec as the rest)", 0.8))
                    covered[start:end] = b"\x01" * (end - start)
                    break
    return extra


LINE = regex.compile(r"[^\n]+")
# A `?` after a non-ASCII character of a line: maybe a byte a decoder rejected.
QUESTION_HOLE = regex.compile(r"(?<=[^\x00-\x7f])\?+")
# Codecs whose misreading splits a run into fragments: double-byte ones, where trail bytes
# read as ASCII and ASCII is swallowed as a trail (a Western misreading splits only at spaces).
DOUBLE_BYTE = frozenset({"gbk", "gb18030", "big5", "shift_jis", "euc_kr"})
# A whole line is re-decoded only when a quick reading (holes left out) gains this much per
# character over the line as the run-level pass left it.
QUICK_GAIN = 1.0


def _whole_lines(text: str, edits: list[Edit], model: CharModel) -> list[Edit]:
    """A codec misreads whole lines, and a double-byte misreading turns some trail bytes into
    ASCII letters (Big5 `上` read as GBK is `�W`) and swallows ASCII into characters: the
    run-level pass then sees fragments, too short to decide. A line still holding a rare pair
    after that pass is undone as one piece, if that reads clearly better than the fragments."""
    rare = rare_pair(model)
    if not rare.search(text) and not rare_question_pair(model).search(text):
        return edits
    rare_question = _rare_question(model)
    out: list[Edit] = []
    pending = sorted(edits, key=lambda e: e.start)
    k = 0
    for m in LINE.finditer(text):
        start, end = m.span()
        inside = []
        while k < len(pending) and pending[k].start < end:
            inside.append(pending[k])
            k += 1
        line = m.group()
        current = _applied(line, start, inside)
        # `?` after a rare character, twice: too little for the run pass when the text spaces
        # its characters (`涓? 寤?` is 不 建 read as GBK, each third byte rejected)
        questioned = QUESTION_HOLE.search(line) is not None and (bool(inside) or len(rare_question.findall(line)) >= 2)
        # run-level fills of a line's holes may leave misread neighbours between them
        holed = bool(inside) and "\ufffd" in line
        if "\ufffd" not in current and not questioned and not holed and len(rare.findall(current)) < 2:
            out += inside  # fragments are many; one rare pair the run pass left alone stays
            continue
        best = _best_line_reading(line, current, model)
        if questioned:
            # a decoder that wrote `?` for the bytes it rejected: read them as lost bytes
            marked = _best_line_reading(QUESTION_HOLE.sub(lambda m: "\ufffd" * len(m.group()), line), current, model)
            if marked is not None and (best is None or marked[0] > best[0]):
                best = marked
        if best is None:
            out += inside
        else:
            gain, mechanism, candidate = best
            out.append(Edit(start, end, candidate, f"{mechanism}, whole line", min(0.99, gain / (gain + 10.0))))
    out += pending[k:]
    return out


@lru_cache(maxsize=1)
def _rare_question(model: CharModel) -> re.Pattern:
    return re.compile(model.rare_class() + r"\?")


@lru_cache(maxsize=1)
def rare_question_pair(model: CharModel) -> re.Pattern:
    """Two rare characters each followed by `?`, side by side or a space apart: a decoder
    that writes `?` for rejected bytes, in text that spaces its characters."""
    rare = model.rare_class()
    return re.compile(rf"{rare}\? ?{rare}\?")


def _applied(line: str, offset: int, edits: list[Edit]) -> str:
    parts, done = [], 0
    for e in edits:
        parts += [line[done : e.start - offset], e.after]
        done = e.end - offset
    parts.append(line[done:])
    return "".join(parts)


def _best_line_reading(line: str, current: str, model: CharModel):
    """(gain, mechanism, reading) of the best chain for a whole line, or None."""
    if _utf8_in_western(line):
        return None  # ftfy's case
    wide = [c for c in line if c > "\x7f" and c != "\ufffd"]
    cjk = len(CJK.findall(line))
    # A double-byte misreading is mostly CJK; a Western one has none (and is taken whole only
    # when it turns into mostly CJK: `³â ÀÌ ³»`, one Hangul syllable per word, is `년 이 내`).
    western = cjk == 0
    if not western and cjk * 2 < len(wide):
        return None
    base = _score(model, current)
    per_char = _score(model, line) / len(line)
    best = None
    tried: set[tuple[bytes, str]] = set()
    for wrong, right in CHAINS:
        if (wrong not in DOUBLE_BYTE) != western:
            continue
        try:
            holes = [seg.encode(wrong) for seg in line.split("\ufffd")]
        except UnicodeEncodeError:
            continue
        key = (b"\xff".join(holes), right)  # (GBK and GB18030 often give the same bytes)
        if key in tried:
            continue
        tried.add(key)
        quick = b"".join(holes).decode(right, errors="replace").replace("\ufffd", "")
        if not quick or _score(model, quick) / len(quick) < per_char + QUICK_GAIN:
            continue
        decoded = _decode_chain(line, wrong, right, model, BOL, EOL)
        if decoded is None:
            continue
        candidate, how = decoded
        if not candidate or not CJK.search(candidate) or not _reads_as_cjk(candidate, "", "", around=candidate):
            continue
        if western and len(CJK.findall(candidate)) < 2 * sum(c.isascii() and c.isalpha() for c in candidate):
            continue
        gain = _score(model, candidate) - base
        if not _plausible(model, candidate, gain, wrong, line):
            continue
        if gain >= MIN_TOTAL_GAIN and (best is None or gain > best[0]):
            best = (gain, f"{right}-as-{wrong}{how}", candidate)
    return best



# A document is in one Chinese script when this many times more of its script-specific
# characters belong to that script.
SCRIPT_MAJORITY = 4


def _follow_script(text: str, edits: list[Edit], model: CharModel) -> list[Edit]:
    """Holes filled without looking beyond their run are filled again knowing which script
    the repaired document is written in (鍦� before a space is 在 or 國, equally likely
    alone; in a simplified text it is 在; kana do not belong in Chinese)."""
    lossy = [e for e in edits if ("\ufffd" in text[e.start : e.end] or DROPPED_BYTES in e.reason) and _chain_of(e.reason)]
    if not lossy:
        return edits
    avoid = other_scripts(_applied(text, 0, sorted(edits, key=lambda e: e.start)))
    if not avoid:
        return edits
    out = []
    for e in edits:
        if e in lossy:
            wrong, right = _chain_of(e.reason)
            prev = text[e.start - 1] if e.start else BOL
            nxt = text[e.end] if e.end < len(text) else EOL
            again = _decode_chain(text[e.start : e.end], wrong, right, model, prev, nxt, avoid)
            if again and again[0] != e.after:
                e = Edit(e.start, e.end, again[0], e.reason, e.confidence)
        out.append(e)
    return out


KANA = frozenset(map(chr, range(0x3040, 0x3100)))
HANGUL = frozenset(map(chr, range(0xAC00, 0xD7A4)))
HAN = regex.compile(r"\p{Han}")


def other_scripts(text: str, majority: int = SCRIPT_MAJORITY) -> frozenset[str]:
    """The characters of the scripts `text` is not written in: kana, Hangul and Japanese
    forms (値) in Chinese, and the other Chinese script's own characters in a text where one
    outnumbers the other `majority` times."""
    from ..script import tables

    han = len(HAN.findall(text))
    kana = sum(c in KANA for c in text)
    hangul = sum(c in HANGUL for c in text)
    if hangul > SCRIPT_MAJORITY * (han + kana):
        return KANA | frozenset(tables.traditional_only()) | frozenset(tables.simplified_only())
    if kana * SCRIPT_MAJORITY * 2 > han:
        return frozenset()  # Japanese: kana and kanji belong together
    avoid = KANA | HANGUL | tables.japanese_forms()
    simplified = sum(c in tables.simplified_only() for c in text)
    traditional = sum(c in tables.traditional_only() for c in text)
    if simplified >= majority * max(1, traditional):
        avoid |= tables.traditional_only()
    elif traditional >= majority * max(1, simplified):
        avoid |= tables.simplified_only()
    return avoid


def _chain_of(reason: str) -> tuple[str, str] | None:
    """The (wrong, right) codecs a single-round codec edit names, if any."""
    if "twice" in reason:
        return None
    for wrong, right in CHAINS:
        if reason.startswith(f"{right}-as-{wrong}"):
            return wrong, right
    return None
