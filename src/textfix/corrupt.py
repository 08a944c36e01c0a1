"""Seeded, byte-faithful text corruption: the damage textfix.repair must undo.

Every function takes clean text and returns a `Corruption`: the damaged `text`, the
`mechanism` name (the same names `explain` uses), whether the damage is `lossless`
(the original is determined by the damaged text alone) and `details` saying what was
done. The byte mechanics follow real software; seed 001's forensics
(shared/docs/seed-001-corruption.md) is the reference for the misaligned-GBK chain.

Decoder error behaviours (`errors=`):
  "replace"  Python's codecs: U+FFFD for the bytes the codec rejects (a DBCS lead
             followed by an invalid trail yields one U+FFFD and the trail is read again)
  "question" the same spans, each replaced by "?"
  "ignore"   the rejected bytes are dropped
  "swallow"  a DBCS lead byte and whatever byte follows become one "?" (the trail is
             swallowed even when it is ASCII, as in seed 001: `9E 28` -> "?"); GBK's
             user-defined area decodes to private-use code points, as cp936/GB18030 do
  "c1"       single-byte code pages: an undefined byte becomes the C1 control of the
             same value (what browsers do for windows-1252), so nothing is lost
"""
from __future__ import annotations

import codecs
import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable

ERRORS = ("replace", "question", "ignore", "swallow", "c1")

# lead-byte ranges of the double-byte codecs, by Python codec name
_DBCS_LEADS = {
    "gbk": range(0x81, 0xFF),
    "gb18030": range(0x81, 0xFF),
    "gb2312": range(0x81, 0xFF),
    "big5": range(0x81, 0xFF),
    "cp950": range(0x81, 0xFF),
    "big5hkscs": range(0x81, 0xFF),
    "shift_jis": [*range(0x81, 0xA0), *range(0xE0, 0xFD)],
    "cp932": [*range(0x81, 0xA0), *range(0xE0, 0xFD)],
    "euc_kr": range(0x81, 0xFF),
    "cp949": range(0x81, 0xFF),
}
_GB_FAMILY = {"gbk", "gb18030", "gb2312"}


@dataclass(frozen=True)
class Corruption:
    text: str
    mechanism: str
    original: str
    lossless: bool
    details: dict = field(default_factory=dict)

    @property
    def expected(self) -> str:
        """What a perfect repair returns: the original folded like the chain folded the
        whole text (a fold is not invertible outside the damaged runs)."""
        return fold(self.original, self.details.get("fold"))


_FULLWIDTH_TO_ASCII = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}


def fold(text: str, form: str | None) -> str:
    """Fold `text` like a pipeline did: form "nfkc", "width" (fullwidth ASCII to ASCII only) or None."""
    if form == "nfkc":
        return unicodedata.normalize("NFKC", text)
    if form == "width":
        return text.translate(_FULLWIDTH_TO_ASCII)
    return text


# --- decoder error handlers ------------------------------------------------------------

class _Rejected:
    """The byte spans the current decode's error handler consumed (handlers are registered
    globally by name)."""

    spans: list[tuple[int, int]] = []


def _codec_name(enc: str) -> str:
    return codecs.lookup(enc).name.replace("-", "_")


def _swallow(exc: UnicodeDecodeError) -> tuple[str, int]:
    text, end = _swallowed(exc)
    _Rejected.spans.append((exc.start, end))
    return text, end


def _swallowed(exc: UnicodeDecodeError) -> tuple[str, int]:
    """What the swallowing decoder makes of the error at exc.start, and where it goes on."""
    data, start = exc.object, exc.start
    codec = _codec_name(exc.encoding)
    if data[start] in _DBCS_LEADS.get(codec, ()) and start + 1 < len(data):
        pair = bytes(data[start:start + 2])
        if codec in _GB_FAMILY and pair[1] >= 0x40 and pair[1] != 0x7F:
            try:
                return pair.decode("gb18030"), start + 2  # user-defined area -> PUA
            except UnicodeDecodeError:
                pass
        return "?", start + 2
    return "?", exc.end


def _counted(replacement: Callable[[UnicodeDecodeError], str]) -> Callable:
    def handler(exc: UnicodeDecodeError) -> tuple[str, int]:
        _Rejected.spans.append((exc.start, exc.end))
        return replacement(exc), exc.end

    return handler


codecs.register_error("textfix.swallow", _swallow)
# one mark per error the codec reports, like Python's own "replace"
codecs.register_error("textfix.replace", _counted(lambda e: "\ufffd"))
codecs.register_error("textfix.question", _counted(lambda e: "?"))
codecs.register_error("textfix.ignore", _counted(lambda e: ""))
codecs.register_error("textfix.c1", _counted(lambda e: bytes(e.object[e.start:e.end]).decode("latin-1")))


def decode(data: bytes, enc: str, errors: str = "replace") -> tuple[str, int]:
    """`data` decoded as `enc` with one of ERRORS; returns (text, number of decode errors)."""
    text, rejected = decode_rejecting(data, enc, errors)
    return text, len(rejected)


def decode_rejecting(data: bytes, enc: str, errors: str = "replace") -> tuple[str, list[tuple[int, int]]]:
    """`decode`, with the (start, end) byte spans of `data` each decode error consumed."""
    if errors not in ERRORS:
        raise ValueError(f"errors must be one of {ERRORS}")
    _Rejected.spans = []
    text = data.decode(enc, f"textfix.{errors}")
    return text, _Rejected.spans


def encodable(text: str, enc: str) -> bool:
    try:
        text.encode(enc)
    except UnicodeEncodeError:
        return False
    return True


def _label(enc: str) -> str:
    return {"latin_1": "latin-1", "iso8859_1": "latin-1", "euc_kr": "euc-kr"}.get(_codec_name(enc), _codec_name(enc))


# --- one function per mechanism ------------------------------------------------------------

def utf8_as(text: str, enc: str, errors: str = "replace") -> Corruption:
    """UTF-8 bytes of `text` decoded as `enc` (gbk, big5, cp1252, latin-1, shift_jis, euc-kr ...)."""
    out, n_errors = decode(text.encode("utf-8"), enc, errors)
    return Corruption(out, f"utf8-as-{_label(enc)}", text, n_errors == 0 or errors == "c1",
                      {"encoded": "utf-8", "decoded": enc, "errors": errors, "decode_errors": n_errors})


def legacy_as_latin1(text: str, legacy: str = "gbk", reader: str = "latin-1", errors: str = "c1") -> Corruption:
    """`text` stored in a legacy CJK encoding (gbk, big5, shift_jis, euc-kr) read as
    latin-1 or cp1252. Raises UnicodeEncodeError when `text` does not fit `legacy`."""
    out, n_errors = decode(text.encode(legacy), reader, errors)
    return Corruption(out, f"{_label(legacy)}-as-{_label(reader)}", text, n_errors == 0 or errors == "c1",
                      {"encoded": legacy, "decoded": reader, "errors": errors, "decode_errors": n_errors})


def big5_gbk_confusion(text: str, source: str = "big5", errors: str = "replace") -> Corruption:
    """Big5 bytes read as GBK (source="big5") or GBK bytes read as Big5 (source="gbk")."""
    target = "gbk" if _codec_name(source) in ("big5", "cp950") else "big5"
    out, n_errors = decode(text.encode(source), target, errors)
    return Corruption(out, f"{_label(source)}-as-{target}", text, n_errors == 0,
                      {"encoded": source, "decoded": target, "errors": errors, "decode_errors": n_errors})


def double(text: str, first: str = "cp1252", second: str | None = None, errors: str = "replace") -> Corruption:
    """Mojibake applied twice: UTF-8 read as `first`, saved as UTF-8 again, read as `second`."""
    once = utf8_as(text, first, errors)
    twice = utf8_as(once.text, second or first, errors)
    return Corruption(twice.text, f"double-{once.mechanism}+{twice.mechanism}", text,
                      once.lossless and twice.lossless,
                      {"first": once.details, "second": twice.details, "intermediate": once.text})


def nfkc_after(corruption: Corruption | str) -> Corruption:
    """NFKC applied on top (seed 001 layer 4): fullwidth `，：？！（）` become ASCII everywhere."""
    base = corruption if isinstance(corruption, Corruption) else Corruption(corruption, "clean", corruption, True)
    out = unicodedata.normalize("NFKC", base.text)
    return Corruption(out, f"{base.mechanism}+nfkc" if base.mechanism != "clean" else "nfkc",
                      base.original, base.lossless, {**base.details, "fold": "nfkc"})


def lost_bytes(text: str, rate: float = 0.01, enc: str = "gbk", errors: str = "swallow", seed: int = 0) -> Corruption:
    """Bytes of `text` in `enc` replaced by `?` (0x3F) before decoding, as a lossy transport
    or converter does. Only bytes of non-ASCII characters are hit (losing an ASCII byte is
    not mojibake); at least one is. After a lost lead byte a double-byte decoder runs one
    byte out of step until an ASCII byte resyncs it."""
    rng = random.Random(seed)
    data = bytearray(text.encode(enc))
    candidates = [i for i, b in enumerate(data) if b >= 0x80]
    if not candidates:
        return Corruption(text, f"lost-bytes-{_label(enc)}", text, True, {"positions": []})
    count = max(1, round(rate * len(candidates)))
    positions = sorted(rng.sample(candidates, min(count, len(candidates))))
    for i in positions:
        data[i] = 0x3F
    out, n_errors = decode(bytes(data), enc, errors)
    return Corruption(out, f"lost-bytes-{_label(enc)}", text, False,
                      {"encoded": enc, "errors": errors, "positions": positions, "decode_errors": n_errors})


# --- pinyin annotations ----------------------------------------------------------------------

# The converter table of seed 001: the 75 traditional characters it annotated after a
# hanzi, plus 驅 and 勵, seen only as false characters inside split ones (`夠?qū)⒁`), and
# their simplified forms (OpenCC t2s) so the same converter can run over simplified text.
SEED_CONVERTER_TRADITIONAL = (
    "個數現發會學務據業規習術實訓產強時應動構優關質調態內預進結礎標創點達認價聯網經當機轉計統"
    "準執區復驗運風錯報項監續負領費細穩權臺絡責醫擔環嚴儲紀戰節養協驅勵"
)
SEED_CONVERTER_SIMPLIFIED = (
    "个数现发会学务据业规习术实训产强时应动构优关质调态内预进结础标创点达认价联网经当机转计统"
    "准执区复验运风错报项监续负领费细稳权台络责医担环严储纪战节养协驱励"
)
SEED_CONVERTER_CHARS = SEED_CONVERTER_TRADITIONAL + SEED_CONVERTER_SIMPLIFIED

_HANZI_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _readings(text: str) -> list[tuple[int, str]]:
    """(position, toned reading) for each hanzi, read in context like a converter would."""
    from pypinyin import Style, pinyin

    out = []
    for run in _HANZI_RUN.finditer(text):
        readings = pinyin(run.group(), style=Style.TONE, errors="ignore")
        if len(readings) != len(run.group()):  # pypinyin merged or dropped something: per char
            readings = [pinyin(c, style=Style.TONE)[0] for c in run.group()]
        out.extend((run.start() + i, r[0]) for i, r in enumerate(readings))
    return out


def frequent_hanzi(text: str, top: int = 75) -> set[str]:
    """The converter's annotation set: the `top` most frequent hanzi of the text."""
    counts = Counter(c for run in _HANZI_RUN.findall(text) for c in run)
    return {c for c, _ in counts.most_common(top)}


def pinyin_annotate(text: str, chars: Iterable[str] = SEED_CONVERTER_CHARS) -> Corruption:
    """`(pīnyīn)` inserted after every occurrence of the annotated characters (default: seed
    001's converter table; `frequent_hanzi(text)` gives a per-document one), read in
    context, as a broken text-level converter does: `發(fā)展`."""
    annotated = set(chars)
    pieces, last, inserted = [], 0, []
    for pos, reading in _readings(text):
        if text[pos] in annotated:
            pieces.append(text[last:pos + 1] + f"({reading})")
            last = pos + 1
            inserted.append(pos)
    pieces.append(text[last:])
    return Corruption("".join(pieces), "pinyin-annotation", text, True,
                      {"annotated_chars": "".join(sorted(annotated)), "positions": inserted})


# --- misaligned double-byte runs (seed 001 layers 2-4) -------------------------------------

def _reading_of(char: str) -> str:
    from pypinyin import Style, pinyin

    return pinyin(char, style=Style.TONE)[0][0]


def _char_boundaries(text: str, enc: str) -> set[int]:
    offsets, pos = {0}, 0
    for char in text:
        pos += len(char.encode(enc))
        offsets.add(pos)
    return offsets


def _annotate_bytes(data: bytes, enc: str, chars: Iterable[str]) -> tuple[bytes, list[tuple[int, str]]]:
    """The byte-level converter: it searches the byte stream for the bytes of each
    annotated character and inserts the `enc` bytes of `(reading)` after every match,
    with no notion of character boundaries. A match made of one character's trail byte
    and the next one's lead byte (F2|9E in 因為 = D2 F2 9E E9 reads 驗) puts an
    annotation inside a real character. Returns the stream and (byte offset, note) pairs.
    Checked against seed 001: applied to the gold text with the seed's table, then
    decoded as below, it reproduces 401 of the 427 lines exactly (the rest lost bytes)."""
    inserts = []
    for char in dict.fromkeys(chars):
        try:
            needle = char.encode(enc)
        except UnicodeEncodeError:
            continue
        note = f"({_reading_of(char)})"
        pos = data.find(needle)
        while pos >= 0:
            inserts.append((pos + len(needle), note))
            pos = data.find(needle, pos + 1)
    inserts.sort()
    out, last = bytearray(), 0
    for pos, note in inserts:
        out += data[last:pos] + note.encode(enc, "replace")
        last = pos
    out += data[last:]
    return bytes(out), inserts


def misaligned(text: str, enc: str = "gbk", chars: Iterable[str] = SEED_CONVERTER_CHARS,
               lost_rate: float = 0.0, fold_form: str | None = "width", seed: int = 0) -> Corruption:
    """Seed 001's chain: `text` stored in `enc` (gbk or big5); the byte-level converter
    inserts `(pinyin)` after the annotated `chars`, some inside a real character
    (see _annotate_bytes); optionally bytes lost as `?` at `lost_rate`; a decoder that
    turns a lead byte plus an invalid trail into one `?` (swallowing the `(` of an
    annotation or the `<` of a tag) and then runs one byte out of step until an ASCII
    byte resyncs it; then a fold over everything (`！` inside a garbled run becomes `!`).
    The forensics calls the fold NFKC, but seed 001 keeps `⒁` and U+00A0, which NFKC
    changes: only fullwidth ASCII was folded, hence `fold_form="width"` by default.

    details: `annotations` (all insertions), `split_annotations` (inside a character:
    the misaligned damage), `lost_positions`, `decode_errors`."""
    boundaries = _char_boundaries(text, enc)
    stream, inserts = _annotate_bytes(text.encode(enc), enc, chars)
    lost: list[int] = []
    if lost_rate:
        data = bytearray(stream)
        candidates = [i for i, b in enumerate(data) if b >= 0x80]
        lost = sorted(random.Random(seed).sample(candidates, min(len(candidates), max(1, round(lost_rate * len(candidates))))))
        for i in lost:
            data[i] = 0x3F
        stream = bytes(data)
    out, n_errors = decode(stream, enc, "swallow")
    out = fold(out, fold_form)
    # with no decode error nothing was swallowed: only whole annotations were inserted
    return Corruption(out, f"misaligned-{_label(enc)}", text, n_errors == 0 and not lost,
                      {"encoded": enc, "annotations": len(inserts),
                       "split_annotations": sum(pos not in boundaries for pos, _ in inserts),
                       "lost_positions": lost, "decode_errors": n_errors, "fold": fold_form})


# --- mechanisms per language, for benchmarks and property tests --------------------------------

NATIVE_ENCODING = {"zh-Hans": "gbk", "zh-Hant": "big5", "ja": "shift_jis", "ko": "euc-kr"}


def mechanisms(lang: str) -> dict[str, Callable[[str, int], Corruption]]:
    """Name -> f(text, seed) for every mechanism that applies to `lang` (zh-Hans, zh-Hant, ja, ko).
    Texts must be encodable in NATIVE_ENCODING[lang] (and GBK for misaligned zh-Hant)."""
    native = NATIVE_ENCODING[lang]
    table: dict[str, Callable[[str, int], Corruption]] = {
        "utf8-as-latin-1": lambda t, s: utf8_as(t, "latin-1"),
        "utf8-as-cp1252": lambda t, s: utf8_as(t, "cp1252", "c1"),
        f"utf8-as-{native}": lambda t, s: utf8_as(t, native, "replace"),
        # the same read by decoders that drop rejected bytes or write `?` for them
        f"utf8-as-{native}, bytes dropped": lambda t, s: utf8_as(t, native, "ignore"),
        f"utf8-as-{native}, bytes as ?": lambda t, s: utf8_as(t, native, "question"),
        f"{native}-as-latin-1": lambda t, s: legacy_as_latin1(t, native, "latin-1"),
        f"{native}-as-cp1252": lambda t, s: legacy_as_latin1(t, native, "cp1252", "c1"),
        "double-utf8-as-cp1252": lambda t, s: double(t, "cp1252", errors="c1"),
        f"lost-bytes-{native}": lambda t, s: lost_bytes(t, 0.01, native, "swallow", seed=s),
        "lost-bytes-utf-8": lambda t, s: lost_bytes(t, 0.01, "utf-8", "replace", seed=s),
    }
    if lang in ("zh-Hans", "zh-Hant"):
        table["utf8-as-gbk"] = lambda t, s: utf8_as(t, "gbk", "replace")
        table["utf8-as-gbk, bytes dropped"] = lambda t, s: utf8_as(t, "gbk", "ignore")
        table["utf8-as-gbk, bytes as ?"] = lambda t, s: utf8_as(t, "gbk", "question")
        table["pinyin-annotation"] = lambda t, s: pinyin_annotate(t)
        table["misaligned-gbk"] = lambda t, s: misaligned(t, "gbk", seed=s)
        table["misaligned-lost-gbk"] = lambda t, s: misaligned(t, "gbk", lost_rate=0.01, seed=s)
    if lang == "zh-Hant":
        table["big5-as-gbk"] = lambda t, s: big5_gbk_confusion(t, "big5")
    if lang == "zh-Hans":
        table["gbk-as-big5"] = lambda t, s: big5_gbk_confusion(t, "gbk")
    return table
