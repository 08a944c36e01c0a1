"""Bytes with holes back to text. A decoder that met bytes it could not read left one U+FFFD per
rejected byte; we know every other byte. A Viterbi search over the characters the right codec
allows at each position (scored by the character bigram model) fills the holes, keeping only
byte values the misreading codec would itself have rejected there. Written by hand: no library
decodes bytes with unknowns."""
from __future__ import annotations

import codecs
from functools import lru_cache
from itertools import combinations

from .model import SKIP_REACH, SKIP_WEIGHT, CharModel, load_skip_model

# States kept per byte position, and candidate characters tried per pattern with holes.
BEAM = 8
MAX_CANDIDATES = 48
# Extra cost of a character of the script the rest of the document does not use (國 in a
# simplified text), so that a hole between equally likely readings follows the document.
OTHER_SCRIPT_COST = 6.0
# Cost of supposing a byte dropped without a mark, where nothing else can be read.
DROPPED_BYTE_COST = 3.0
UNKNOWN = -1


def restore(parts: list[bytes], wrong: str, right: str, model: CharModel, prev: str = "", nxt: str = "",
            avoid: frozenset[str] = frozenset(), dropped: bool = False) -> str | None:
    """`parts` joined by one unknown byte each, decoded as `right`; None if no reading fits.
    `prev` and `nxt`: the characters around the bytes, for the model; `avoid`: characters of
    the script the document does not use. `dropped`: the decoder left no mark for the bytes
    it rejected (errors="ignore"): where no character can start, one may have lost a byte."""
    seq: list[int] = list(parts[0])
    for part in parts[1:]:
        seq.append(UNKNOWN)
        seq.extend(part)
    lengths = _lengths(right)
    n = len(seq)
    # states[i]: last character -> (score, previous state key, position, character)
    states: list[dict[str, tuple[float, object]]] = [dict() for _ in range(n + 1)]
    states[0][prev] = (0.0, None)
    for i in range(n):
        here = states[i]
        if not here:
            continue
        if len(here) > BEAM:
            here = dict(sorted(here.items(), key=lambda kv: -kv[1][0])[:BEAM])
            states[i] = here
        options = [(i + length, _candidates(seq, i, length, wrong, right, model), 0.0)
                   for length in lengths(seq[i]) if i + length <= n]
        if dropped and not any(chars for _, chars, _ in options):
            options = [(i + read, chars, lost * DROPPED_BYTE_COST)
                       for read, chars, lost in _with_dropped_bytes(seq, i, wrong, right, model)]
        for end, chars, penalty in options:
            if not chars:
                continue
            priors = [model.unigram_logp(ch) for ch in chars]
            costs = [penalty + (OTHER_SCRIPT_COST if ch in avoid else 0.0) for ch in chars]
            target = states[end]
            for last, (score, _) in here.items():
                back = (i, last)
                for ch, logp, cost in zip(chars, model.follower_logps(last, chars, priors), costs):
                    total = score + logp - cost
                    best = target.get(ch)
                    if best is None or total > best[0]:
                        target[ch] = (total, back)
    final = states[n]
    if not final:
        return None
    if nxt:
        last = max(final, key=lambda ch: final[ch][0] + model.logp(ch, nxt))
    else:
        last = max(final, key=lambda ch: final[ch][0])
    out, spans, pos, ch = [], [], n, last
    while pos > 0:
        out.append(ch)
        start, previous = states[pos][ch][1]
        spans.append((start, pos))
        pos, ch = start, previous
    out.reverse()
    spans.reverse()
    return _second_look(out, spans, seq, wrong, right, model, prev, nxt, avoid)


# How much better than the Viterbi choice another candidate must fit in the second look.
SECOND_LOOK_MARGIN = 1.0


def _second_look(out: list[str], spans: list[tuple[int, int]], seq: list[int], wrong: str, right: str,
                 model: CharModel, prev: str, nxt: str, avoid: frozenset[str]) -> str:
    """Each character resting on an unknown byte chosen again among the same candidates,
    now also by the characters two places away (the Viterbi search sees one)."""
    skip = None
    for k, (start, end) in enumerate(spans):
        if UNKNOWN not in seq[start:end]:
            continue
        chars = _candidates(seq, start, end - start, wrong, right, model)
        if len(chars) < 2:
            continue
        skip = skip or load_skip_model().association
        context = [prev, prev, *out, nxt, nxt]  # out[k] is context[k + 2]
        b2, b1, a1, a2 = context[k], context[k + 1], context[k + 3], context[k + 4]
        fits = {c: fit - (OTHER_SCRIPT_COST if c in avoid else 0.0)
                for c, fit in zip(chars, model.around_logps(b1, list(chars), a1, list(map(model.unigram_logp, chars))))}
        reach = max(fits.values()) - SKIP_REACH
        fits = {c: fit + SKIP_WEIGHT * (skip(b2, c) + skip(c, a2)) for c, fit in fits.items() if fit >= reach or c == out[k]}
        best = max(fits, key=fits.__getitem__)
        if fits[best] - fits[out[k]] >= SECOND_LOOK_MARGIN:
            out[k] = best
    return "".join(out)


def _with_dropped_bytes(seq: list[int], i: int, wrong: str, right: str, model: CharModel):
    """(bytes read, characters, bytes dropped) for the characters starting at i that lost
    one or two bytes (anywhere in them) which the decoder dropped without a mark."""
    lengths = (3, 2) if codecs.lookup(right).name == "utf-8" else (2,)
    found = []
    for length in lengths:
        for lost in range(1, length):
            known = seq[i : i + length - lost]
            if len(known) < length - lost or UNKNOWN in known:
                continue
            after = seq[i + length - lost] if i + length - lost < len(seq) else None
            chars: dict[str, None] = {}
            for holes in combinations(range(length), lost):
                it = iter(known)
                window = tuple(UNKNOWN if k in holes else next(it) for k in range(length))
                chars.update(dict.fromkeys(_matching(window, after, wrong, right, model)))
            found.append((length - lost, tuple(chars), lost))
    return found


def _candidates(seq: list[int], i: int, length: int, wrong: str, right: str, model: CharModel) -> tuple[str, ...]:
    window = tuple(seq[i : i + length])
    after = seq[i + length] if i + length < len(seq) else None
    return _matching(window, after, wrong, right, model)


@lru_cache(maxsize=1 << 16)
def _matching(window: tuple[int, ...], after: int | None, wrong: str, right: str, model: CharModel) -> tuple[str, ...]:
    """The characters `window` (bytes, UNKNOWN for a hole) may be, followed by byte `after`."""
    if UNKNOWN not in window:
        try:
            ch = bytes(window).decode(right)
        except UnicodeDecodeError:
            return ()
        return (ch,) if len(ch) == 1 else ()
    mask = sum(1 << k for k, b in enumerate(window) if b == UNKNOWN)
    key = (len(window), mask, bytes(0 if b == UNKNOWN else b for b in window))
    rejects = _rejected(wrong)
    found = []
    for ch, data in _index(right, model).get(key, ()):
        if rejects is None or _consistent(data, mask, after, rejects):
            found.append(ch)
            if len(found) == MAX_CANDIDATES:
                break
    return tuple(found)


def _consistent(data: bytes, mask: int, after: int | None, rejects) -> bool:
    """Would the misreading codec have rejected each byte we put into a hole? (It rejected the
    byte at a hole when that byte, with the byte after it, reads as no character.)"""
    for k in range(len(data)):
        if mask >> k & 1:
            follower = data[k + 1] if k + 1 < len(data) else after
            if follower is None:
                if not rejects[data[k]][256]:
                    return False
            elif follower != UNKNOWN and not rejects[data[k]][follower]:
                return False
    return True


@lru_cache(maxsize=None)
def _rejected(wrong: str):
    """rejects[v][t]: decoding byte v followed by byte t (index 256: by nothing) fails at v;
    None if the codec rejects no byte (latin-1: holes came from elsewhere, nothing to check)."""
    decoder = codecs.getincrementaldecoder(wrong)
    table = []
    for v in range(256):
        row = []
        for t in range(257):
            data = bytes([v]) if t == 256 else bytes([v, t])
            try:
                decoder().decode(data, final=True)
                row.append(False)
            except UnicodeDecodeError as error:
                row.append(error.start == 0)
        table.append(row)
    if not any(any(row) for row in table[0x80:]):
        return None
    return table


@lru_cache(maxsize=None)
def _index(right: str, model: CharModel) -> dict[tuple[int, int, bytes], list[tuple[str, bytes]]]:
    """Every multi-byte character the model knows, under each pattern of holes its bytes can
    show, most frequent first."""
    chars = sorted((c for c in model.characters() if len(c) == 1 and c >= "\x80"), key=lambda c: -model.count(c))
    index: dict[tuple[int, int, bytes], list[tuple[str, bytes]]] = {}
    for ch in chars:
        try:
            data = ch.encode(right)
        except UnicodeEncodeError:
            continue
        length = len(data)
        if length < 2 and data[0] < 0x80:
            continue
        for mask in range(1, 1 << length):
            key = (length, mask, bytes(0 if mask >> k & 1 else b for k, b in enumerate(data)))
            index.setdefault(key, []).append((ch, data))
    return index


def _lengths(right: str):
    """Byte lengths a character may have, given its first byte (UNKNOWN: any)."""
    name = codecs.lookup(right).name
    if name == "utf-8":
        def utf8(first: int) -> tuple[int, ...]:
            if first == UNKNOWN:
                return (3, 2, 4)
            if first < 0x80:
                return (1,)
            return ((2,) if first < 0xE0 else (3,) if first < 0xF0 else (4,)) if first >= 0xC2 else ()
        return utf8
    single_high = {b for b in range(0x80, 0x100) if decodes(bytes([b]), right)}

    def double_byte(first: int) -> tuple[int, ...]:
        if first == UNKNOWN:
            return (2, 1) if single_high else (2,)
        if first < 0x80:
            return (1,)
        return (1,) if first in single_high else (2,)
    return double_byte


def decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
        return True
    except UnicodeDecodeError:
        return False
