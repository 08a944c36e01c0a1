"""Re-synchronise double-byte (GBK/GB18030, Big5, EUC-KR/UHC) text damaged at the byte level.

The text is treated as what a double-byte decoder made of a damaged byte stream. Each character is turned
back into its bytes; each `?`/U+FFFD may instead stand for a lost byte, or for a lead byte whose
trail (the `(` of a pinyin annotation, the `<` of a tag) the decoder swallowed; ASCII punctuation
met while the stream is out of step may have been fullwidth before NFKC. A beam search over these
hypotheses re-decodes the stream, scoring each path with the character model. Nothing here knows
any particular text: only the byte structure of the codec and the model decide.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex

from .model import CharModel
from .pinyin import readings

LEAD_BYTES = tuple(range(0x81, 0xFF))
TRAIL_BYTES = tuple(b for b in range(0x40, 0xFF) if b != 0x7F)
ANY_BYTE = tuple(sorted(set(LEAD_BYTES) | set(TRAIL_BYTES)))

BEAM_WIDTH = 48

# Prior costs (nats) of each hypothesis against reading the character literally.
COST_LOST_BYTE = 4.0
COST_SWALLOWED = 1.0
COST_FULLWIDTH = 1.5
# An unknown lead narrowed to this few candidates (by an annotation's reading) may meet an
# unknown trail; a wide-open one may not.
NARROW_LEADS = 16
COST_SWALLOWED_SPACE = 3.0
# A wildcard byte must beat its runner-up by this much to be trusted; else the char stays `?`.
WILDCARD_MARGIN = 1.5
# Paths scoring this far below the best at the same point are dropped.
PRUNE_MARGIN = 40.0
# A different complete reading this close to the best one makes the spots where they differ unsure.
RIVAL_MARGIN = 2.0

PINYIN_TAIL = regex.compile(r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,7}\)")
TAG_TAIL = regex.compile(r"/[a-zA-Z][a-zA-Z0-9]{0,9}>")
LOST = "?\ufffd"
# Lines worth the search: a replacement mark or private-use char next to non-ASCII text.
TRIGGER = regex.compile(
    r"[\uE000-\uF8FF]|[?\ufffd](?:[^\x00-\x7F]|[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}\)|/[a-z]+>)"
    r"|[^\x00-\x7F][?\ufffd](?=\S)"  # a `?` ending a sentence (before a space, at the end) is one
)


# The double-byte codecs searched (their superset where one exists: GB18030 for GBK, UHC for EUC-KR).
CODECS = ("gb18030", "big5", "cp949", "shift_jis")


@lru_cache(maxsize=None)
def pair_table(codec: str = "gb18030") -> dict[int, str]:
    """(lead << 8 | trail) -> character, for every valid two-byte code of `codec`; and byte ->
    character for the bytes above ASCII that are a character alone (Shift-JIS halfwidth kana)."""
    table = {}
    for byte in range(0x80, 0x100):
        try:
            ch = bytes((byte,)).decode(codec)
        except UnicodeDecodeError:
            continue
        if len(ch) == 1:
            table[byte] = ch
    for lead in LEAD_BYTES:
        for trail in TRAIL_BYTES:
            try:
                ch = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(ch) == 1:
                table[lead << 8 | trail] = ch
    return table


@lru_cache(maxsize=1 << 16)
def char_bytes(ch: str, codec: str = "gb18030") -> bytes | None:
    """The one- or two-byte form of `ch` in `codec`, or None when it has none."""
    try:
        b = ch.encode(codec)
    except UnicodeEncodeError:
        return None
    return b if len(b) <= 2 else None


@dataclass(frozen=True)
class Alt:
    """One reading of a slot: its bytes (None = unknown byte), cost, and what it means."""

    data: tuple
    cost: float = 0.0
    kind: str = "literal"
    wildcard_values: tuple = ()
    skip: int = 0  # characters after this one that the hypothesis consumes (annotation, tag residue)
    only_misaligned: bool = False
    trusted: bool = False  # the unknown byte is pinned down by evidence (an annotation's reading)


@dataclass
class Path:
    score: float
    out: str
    kinds: tuple
    uncertain: tuple  # (index in `out`, candidate chars) of characters resting on an unknown byte
    unsure: tuple = ()  # after search: indexes of those characters the margin check does not trust
    rivals: tuple = ()  # after search: other complete readings scoring within RIVAL_MARGIN


def _fullwidth_alt(ch: str, codec: str) -> Alt | None:
    if ch == " ":
        full = "\u3000"
    elif "!" <= ch <= "~":
        full = chr(ord(ch) + 0xFEE0)
    else:
        return None
    data = char_bytes(full, codec)
    if data is None or len(data) != 2:
        return None
    return Alt(tuple(data), COST_FULLWIDTH, "nfkc-undone", only_misaligned=True)


def _annotation_leads(prev_byte: int | None, syllable: str, codec: str) -> tuple:
    """Lead bytes L such that [prev_byte, L] reads as `syllable` (the converter's false char)."""
    if prev_byte is None:
        return LEAD_BYTES
    table = pair_table(codec)
    target = unicodedata.normalize("NFC", syllable)
    leads = tuple(
        lead for lead in LEAD_BYTES if (ch := table.get(prev_byte << 8 | lead)) and target in readings(ch)
    )
    return leads or LEAD_BYTES


def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


def alternatives(text: str, i: int, codec: str = "gb18030") -> list[Alt]:
    """The readings of text[i] in `codec` (see the module docstring)."""
    ch = text[i]
    if ch in LOST:
        alts = [Alt((0x3F,) if ch == "?" else ("\ufffd",))]
        alts.append(Alt((None,), COST_LOST_BYTE, "lost-byte", ANY_BYTE))
        question = char_bytes("？", codec)
        if ch == "?" and question:
            alts.append(Alt(tuple(question), COST_FULLWIDTH, "nfkc-undone", only_misaligned=True))
        tail = PINYIN_TAIL.match(text, i + 1)
        if tail:
            prev = char_bytes(text[i - 1], codec) if i else None
            leads = _annotation_leads(prev[-1] if prev else None, tail.group()[:-1], codec)
            alts.append(Alt((None,), COST_SWALLOWED, "misaligned-annotation", leads, skip=len(tail.group()),
                            trusted=len(leads) < len(LEAD_BYTES)))
        if i + 1 < len(text) and (text[i + 1].isascii() and text[i + 1].isalnum() or codec == "cp949" and _is_hangul(text[i + 1])):
            # a lead byte swallowed the space before an ASCII word (`到 URI` -> `?URI`), or
            # between Korean words (`강제로 끝냅니` lost 로's lead: `강제??끝냅니`)
            alts.append(Alt((None, 0x20), COST_SWALLOWED_SPACE, "swallowed-space", ANY_BYTE))
        tag = TAG_TAIL.match(text, i + 1)
        if tag:
            # the byte before a closing tag ends a paragraph: the choice is among closing marks
            alts.append(Alt((None,), COST_SWALLOWED, "html-residue", LEAD_BYTES, skip=len(tag.group()),
                            trusted=True))
        return alts
    data = char_bytes(ch, codec)
    if data is None:
        return [Alt((ch,))]  # opaque: no character of the codec, emitted as is when in step
    alts = [Alt(tuple(data))]
    full = _fullwidth_alt(ch, codec)
    if full:
        alts.append(full)
    return alts


def _emit(model: CharModel, table: dict, leads, trails, last: str):
    """Characters [lead, trail] can make, best first, with their log-probabilities."""
    options = []
    for lead in leads:
        for trail in trails:
            ch = table.get(lead << 8 | trail)
            if ch:
                options.append((model.logp(last, ch), ch))
    options.sort(reverse=True)
    return options


def _step(model: CharModel, table: dict, pending, last: str, score: float, out: str,
          uncertain: tuple, byte, values: tuple, trusted: bool = False):
    """Feed one byte to the double-byte decoder state; yield successor states.

    `byte` is an int, None (an unknown byte, one of `values`) or a str (a character that has no
    bytes in the codec, passed through when in step). `pending` is -1 (in step), a lead byte, or a tuple of
    possible lead bytes still undecided (an unknown lead waits for its trail to be scored).
    """
    if isinstance(byte, str):
        if pending == -1:
            yield -1, byte, score + model.logp(last, byte), out + byte, uncertain
        return
    if pending == -1:
        if byte is None:
            leads = tuple(v for v in values if v >= 0x81)
            if leads:
                yield leads, last, score, out, uncertain
            return
        elif byte < 0x80:
            ch = chr(byte)
            yield -1, ch, score + model.logp(last, ch), out + ch, uncertain
        elif byte in table:  # a character of one byte
            ch = table[byte]
            yield -1, ch, score + model.logp(last, ch), out + ch, uncertain
        elif byte <= 0xFE:
            yield byte, last, score, out, uncertain
        return
    leads = pending if isinstance(pending, tuple) else (pending,)
    if byte is None and len(leads) > NARROW_LEADS:
        return  # two unknown bytes in a row are a lost character: nothing to decide it from
    trails = values if byte is None else (byte,)
    if len(leads) == 1 and len(trails) == 1:
        ch = table.get(leads[0] << 8 | trails[0])
        if ch:
            yield -1, ch, score + model.logp(last, ch), out + ch, uncertain
        return
    options = _emit(model, table, leads, trails, last)
    if not options:
        return
    # a byte narrowed down by evidence (an annotation's reading) needs no margin check
    narrowed = trusted or len(options) <= 8
    candidates = () if narrowed else tuple(ch for _, ch in options[:12])
    for lp, ch in options[:6]:
        yield -1, ch, score + lp, out + ch, uncertain + (((len(out), candidates),) if candidates else ())


def wildcard_margin(model: CharModel, out: str, index: int, candidates: tuple, prev: str, nxt: str) -> float:
    """How much better the chosen character fits between its neighbours than any other candidate."""
    before = out[index - 1] if index else prev
    after = out[index + 1] if index + 1 < len(out) else nxt
    chosen = out[index]

    def fit(ch: str) -> float:
        return model.logp(before, ch) + (model.logp(ch, after) if after else 0.0)

    others = [fit(c) for c in candidates if c != chosen]
    return fit(chosen) - max(others) if others else float("inf")


LOST_MARK = regex.compile(r"[?\ufffd]")


def _next_choice(text: str, i: int, beams: list) -> int:
    """The next position after i where reading may branch: a lost mark, or a position some
    path already reached by jumping (an annotation or tag it consumed)."""
    m = LOST_MARK.search(text, i + 1)
    j = m.start() if m else len(text)
    for k in range(i + 1, j):
        if beams[k]:
            return k
    return j


def search(model: CharModel, text: str, prev: str = "", nxt: str = "", codec: str = "gb18030") -> Path:
    """Best re-decoding of `text` (between context chars `prev` and `nxt`) as `codec` bytes."""
    table = pair_table(codec)
    n = len(text)
    # beams[i]: (pending lead byte or -1, last char) -> best Path having consumed text[:i]
    beams: list[dict[tuple[int, str], Path]] = [dict() for _ in range(n + 1)]
    beams[0][(-1, prev)] = Path(0.0, "", (), ())
    i = -1
    while i + 1 < n:
        i += 1
        beam = beams[i]
        if not beam:
            continue
        if len(beam) > 1:
            # paths far behind the best never come back: a misread stretch only loses ground
            top = max(p.score for p in beam.values())
            beam = {k: p for k, p in beam.items() if p.score >= top - PRUNE_MARGIN}
        if len(beam) > BEAM_WIDTH:
            beam = dict(sorted(beam.items(), key=lambda kv: kv[1].score, reverse=True)[:BEAM_WIDTH])
        if len(beam) == 1 and next(iter(beam))[0] == -1 and text[i] not in LOST:
            # one path, in step: the text up to the next lost mark (or the next position another
            # path jumps to) can only be read as it is
            j = _next_choice(text, i, beams)
            if j > i + 1:
                (_, last), path = next(iter(beam.items()))
                stretch = text[i:j]
                if not any(char_bytes(c, codec) is None for c in stretch):
                    merged = Path(path.score + model.score(stretch, last), path.out + stretch, path.kinds, path.uncertain)
                    current = beams[j].get((-1, stretch[-1]))
                    if current is None or merged.score > current.score:
                        beams[j][(-1, stretch[-1])] = merged
                    beams[i] = {}
                    i = j - 1
                    continue
        alts = alternatives(text, i, codec)
        for (pending, last), path in beam.items():
            for alt in alts:
                if alt.only_misaligned and pending == -1:
                    continue
                states = [(pending, last, path.score - alt.cost, path.out, path.uncertain)]
                for byte in alt.data:
                    states = [s for st in states
                              for s in _step(model, table, *st, byte, alt.wildcard_values, alt.trusted)]
                kinds = path.kinds + ((alt.kind,) if alt.kind != "literal" else ())
                target = beams[i + 1 + alt.skip]
                for p2, l2, sc, out, unc in states:
                    best = target.get((p2, l2))
                    if best is None or sc > best.score:
                        target[(p2, l2)] = Path(sc, out, kinds, unc)
        beams[i] = {}
    finals = [(path.score + (model.logp(last, nxt) if nxt else 0.0), path)
              for (pending, last), path in beams[n].items() if pending == -1]
    if not finals:
        return Path(float("-inf"), text, (), ())
    finals.sort(key=lambda x: x[0], reverse=True)
    score, best = finals[0]
    unsure = tuple(i for i, cands in best.uncertain
                   if wildcard_margin(model, best.out, i, cands, prev, nxt) < WILDCARD_MARGIN)
    rivals = tuple(p.out for sc, p in finals[1:] if score - sc < RIVAL_MARGIN and p.out != best.out)
    return Path(score, best.out, best.kinds, best.uncertain, unsure, rivals)
