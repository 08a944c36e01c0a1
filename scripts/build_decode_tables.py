"""Build src/textfix/decode/data/char_cost.tsv: how common each CJK character is per language.

The decoder scores candidate readings of short byte strings by how likely their
characters are; codec structure alone cannot tell apart two plausible readings (common
GBK byte pairs are also common EUC-KR hangul). Sources, all from registry packages:
  zh-Hans  word frequencies in jieba's dict.txt (MIT), summed per character
  zh-Hant  the same counts mapped character by character with OpenCC s2t
  ja       Japanese man pages (Debian manpages-ja), via benchmarks/sources.py domain 'tech'
  ko       Korean gettext catalogues (Debian locales), via benchmarks/sources.py domain 'ui'
The ja/ko domains used here are left out of the accuracy benchmark (decode_accuracy.py).
Run: bash benchmarks/setup_sources.sh && .venv/bin/python scripts/build_decode_tables.py
"""
from __future__ import annotations

import math
import re
import sys
from collections import Counter
from pathlib import Path

import jieba
import opencc

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import sources  # noqa: E402

OUT = ROOT / "src/textfix/decode/data/char_cost.tsv"
LANGS = ("zh-Hans", "zh-Hant", "ja", "ko")
TOP = {"zh-Hans": 7000, "zh-Hant": 7000, "ja": 4000, "ko": 2000}
TRAIN_DOMAIN = {"ja": "tech", "ko": "ui"}
_CJK = re.compile(r"[\u3041-\u30ff\u4e00-\u9fff\uac00-\ud7a3]")


def chinese_counts() -> tuple[Counter[str], Counter[str]]:
    hans: Counter[str] = Counter()
    for line in Path(jieba.__file__).with_name("dict.txt").read_text(encoding="utf-8").splitlines():
        word, freq, *_ = line.split(" ")
        for ch in word:
            if "\u4e00" <= ch <= "\u9fff":
                hans[ch] += int(freq)
    s2t = opencc.OpenCC("s2t")
    hant: Counter[str] = Counter()
    for ch, n in hans.items():
        hant[s2t.convert(ch)] += n
    return hans, hant


def corpus_counts(lang: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for paragraph in sources.paragraphs(lang, domain=TRAIN_DOMAIN[lang]):
        counts.update(_CJK.findall(paragraph))
    return counts


def costs(counter: Counter[str], top: int) -> dict[str, int]:
    total = sum(counter.values())
    # cost = -ln(p) in tenths of a nat, an integer to keep the file small
    return {ch: round(-10 * math.log(n / total)) for ch, n in counter.most_common(top)}


def main() -> None:
    hans, hant = chinese_counts()
    tables = {
        "zh-Hans": costs(hans, TOP["zh-Hans"]),
        "zh-Hant": costs(hant, TOP["zh-Hant"]),
        "ja": costs(corpus_counts("ja"), TOP["ja"]),
        "ko": costs(corpus_counts("ko"), TOP["ko"]),
    }
    chars = sorted(set().union(*tables.values()), key=lambda c: min(t.get(c, 999) for t in tables.values()))
    lines = ["# char\t" + "\t".join(LANGS) + "   (cost = -10*ln p among CJK characters; '-' = not listed)"]
    lines += [c + "\t" + "\t".join(str(tables[lang].get(c, "-")) for lang in LANGS) for c in chars]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(chars)} characters to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
