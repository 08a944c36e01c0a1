"""Which legacy encoding are these (non-UTF-8) bytes in?

Every CJK candidate that decodes the bytes strictly is scored (`scoring.py`); the
cheapest reading wins. charset-normalizer is asked only when no CJK reading is
plausible, to name single-byte code pages (Cyrillic, Greek, Latin ...). The split
exists because charset-normalizer, built for longer texts, misreads short CJK strings
(see benchmarks/decode_bench.py for the measured table).
"""
from __future__ import annotations

import math

from .errors import DecodeError
from .scoring import text_cost

# (codecs tried in order, the first that decodes names the result; language model)
CJK_CANDIDATES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("gbk", "gb18030"), "zh-Hans"),
    (("big5", "cp950", "big5hkscs"), "zh-Hant"),
    (("shift_jis", "cp932"), "ja"),
    (("euc_jp",), "ja"),
    (("euc_kr", "cp949"), "ko"),
)
# Mean cost per non-ASCII character above which a CJK reading is implausible.
_PLAUSIBLE_COST = 120
_SAMPLE = 16 * 1024  # plenty for detection; scoring is pure Python, so keep it bounded
_HIGH_BYTES = bytes(range(0x80, 0x100))


def _sample(data: bytes) -> bytes:
    """A prefix cut at a newline, which no CJK codec uses as a trail byte."""
    if len(data) <= _SAMPLE:
        return data
    cut = data.rfind(b"\n", 0, _SAMPLE)
    return data[: cut + 1] if cut > 0 else data[:_SAMPLE]


def _count_non_ascii(data: bytes) -> int:
    return len(data) - len(data.translate(None, _HIGH_BYTES))


def _first_decoding(data: bytes, codecs_: tuple[str, ...], allow_cut: bool) -> tuple[str, str] | None:
    for codec in codecs_:
        for trim in range(4 if allow_cut else 1):
            try:
                return codec, data[: len(data) - trim].decode(codec)
            except UnicodeDecodeError:
                continue
    return None


def _cost_per_pair(text: str, lang: str, non_ascii_bytes: int) -> float:
    # Per two non-ASCII bytes, so readings of the same bytes compare fairly whatever
    # the number of characters each reading makes of them.
    return 2 * text_cost(text, lang) / max(1, non_ascii_bytes)


def rank_legacy(data: bytes) -> list[tuple[float, str]]:
    """(cost per non-ASCII byte pair, codec) for each CJK reading, best first."""
    sample = _sample(data)
    cut = len(sample) < len(data) and not sample.endswith(b"\n")
    non_ascii = _count_non_ascii(sample)
    ranked = []
    for codecs_, lang in CJK_CANDIDATES:
        decoded = _first_decoding(sample, codecs_, cut)
        if decoded is not None:
            codec, text = decoded
            ranked.append((_cost_per_pair(text, lang, non_ascii), codec))
    ranked.sort()
    return ranked


def detect_legacy(data: bytes) -> tuple[str, float]:
    """(codec, confidence) for bytes that are not UTF-8; DecodeError if none fits."""
    ranked = rank_legacy(data)
    if not ranked or ranked[0][0] > _PLAUSIBLE_COST:
        ranked = sorted(ranked + _single_byte_readings(_sample(data)))
    if not ranked:
        raise DecodeError("not valid in UTF-8 nor in any known encoding")
    return ranked[0][1], _confidence(ranked)


def _single_byte_readings(sample: bytes) -> list[tuple[float, str]]:
    """charset-normalizer's guess (any alphabet) and cp1252, scored like the CJK readings."""
    from charset_normalizer import from_bytes

    non_ascii = _count_non_ascii(sample)
    readings = []
    best = from_bytes(sample).best()
    if best is not None and not best.encoding.startswith(("utf", "gb", "big5", "cp9", "shift", "euc", "iso2022")):
        # +1: on a tie Windows-1252 wins, the code page most mislabelled text is in
        readings.append((_cost_per_pair(str(best), "alpha", non_ascii) + 1, best.encoding))
    try:
        readings.append((_cost_per_pair(sample.decode("cp1252"), "latin", non_ascii), "cp1252"))
    except UnicodeDecodeError:
        pass
    return readings


def _confidence(ranked: list[tuple[float, str]]) -> float:
    # Softmax over the per-character costs (tenths of nats) of the competing readings.
    best = ranked[0][0]
    return round(1.0 / sum(math.exp(-(cost - best) / 10) for cost, _ in ranked), 3)
