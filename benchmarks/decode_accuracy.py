"""Short CJK byte strings: which detector decodes them back to the original text?

Strings are `length` consecutive CJK characters cut from clean paragraphs
(benchmarks/sources.py), encoded in GBK, Big5, Shift-JIS and EUC-KR. A detector scores
when decoding with the encoding it names gives back the original text exactly.
Run: .venv/bin/python benchmarks/decode_accuracy.py [--n 60] [--lengths 2,4,8]
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import sources  # noqa: E402

import textfix  # noqa: E402

TARGETS = {"gbk": "zh-Hans", "big5": "zh-Hant", "shift_jis": "ja", "euc_kr": "ko"}
HELD_OUT_TRAINING = {"ja": "tech", "ko": "ui"}  # see scripts/build_decode_tables.py
_RUN = {
    "zh-Hans": re.compile(r"[\u4e00-\u9fff]+"),
    "zh-Hant": re.compile(r"[\u4e00-\u9fff]+"),
    "ja": re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]+"),
    "ko": re.compile(r"[\uac00-\ud7a3]+"),
}


def samples(encoding: str, length: int, n: int, seed: int = 0) -> list[bytes]:
    lang = TARGETS[encoding]
    rng = random.Random(f"{seed}-{encoding}-{length}")
    # ja/ko: only domains the frequency tables were not built from
    domains = [d for d in sources.domains(lang) if d != HELD_OUT_TRAINING.get(lang)]
    paragraphs = [p for d in domains for p in sources.paragraphs(lang, domain=d)]
    out: list[bytes] = []
    seen: set[str] = set()
    while len(out) < n:
        runs = [r for r in _RUN[lang].findall(rng.choice(paragraphs)) if len(r) >= length]
        if lang == "ja":  # a Japanese sample must contain kana, or it is just Chinese
            runs = [r for r in runs if re.search(r"[\u3040-\u30ff]", r)]
        if not runs:
            continue
        run = rng.choice(runs)
        start = rng.randrange(len(run) - length + 1)
        text = run[start : start + length]
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        if text not in seen:
            seen.add(text)
            out.append(data)
    return out


def _charset_normalizer(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return best.encoding if best else None


def _chardet(data: bytes) -> str | None:
    import chardet

    return chardet.detect(data)["encoding"]


def _textfix(data: bytes) -> str | None:
    return textfix.decode(data).encoding


DETECTORS = {"charset-normalizer": _charset_normalizer, "chardet": _chardet, "textfix": _textfix}


def decodes_back(data: bytes, encoding: str | None, original: str) -> bool:
    try:
        return encoding is not None and data.decode(encoding) == original
    except (UnicodeDecodeError, LookupError):
        return False


def accuracy_table(n: int = 60, lengths: tuple[int, ...] = (2, 4, 8)) -> list[dict]:
    rows = []
    for length in lengths:
        for encoding in TARGETS:
            cases = samples(encoding, length, n)
            row = {"encoding": encoding, "chars": length, "n": n}
            for name, detect in DETECTORS.items():
                row[name] = sum(decodes_back(d, detect(d), d.decode(encoding)) for d in cases)
            rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--lengths", default="2,4,8")
    args = parser.parse_args()
    rows = accuracy_table(args.n, tuple(int(x) for x in args.lengths.split(",")))
    print(f"{'encoding':10} {'chars':>5} " + " ".join(f"{d:>18}" for d in DETECTORS))
    for row in rows:
        print(f"{row['encoding']:10} {row['chars']:>5} " + " ".join(f"{row[d]:>15}/{row['n']}" for d in DETECTORS))


if __name__ == "__main__":
    main()
