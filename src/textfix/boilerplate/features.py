"""Shape features of a line, for chrome that no rule pack words: counters, link lists, menus."""
from __future__ import annotations

import re

# Sentence punctuation after NFKC (fullwidth ',!?;:' are ASCII in a match key).
_SENTENCE_END = re.compile(r"[。!?…]|[.!?;][\"'”’)]?$|[.!?;] ")
_CLAUSE = re.compile(r"[,,、;。!?]")

_COUNTER = re.compile(
    r"^(\d[\d,]*(\.\d+)?\s?[kmw万千]\+?"
    r"|(阅读|閱讀|浏览|瀏覽|点击|點擊|点赞|點贊|views?|reads?|likes?)\s*[(:]?\s*\d[\d,.]*[kmw万]?\)?"
    r"|\d[\d,.]*[kmw万]?\s*(views|reads|likes|comments|次阅读|人阅读|次浏览|次閱讀|人閱讀|次瀏覽|阅读|閱讀))$"
)
_BULLET = re.compile(r"^\s*([•·▪◦●■□▶►»›*\-–]|\d{1,2}[.、)])\s*")
_MENU_SEPARATOR = re.compile(r"\s*[|·•/]\s*|\s{2,}")
_BREADCRUMB_SEPARATOR = re.compile(r"\s*(?:>|›|»|→|>>)\s*")


def is_prose(key: str) -> bool:
    """Article text: a sentence, or a long line with clauses. Titles and chrome mostly are not."""
    if len(key) >= 8 and _SENTENCE_END.search(key):
        return True
    return len(key) >= 24 and bool(_CLAUSE.search(key))


def width(key: str) -> int:
    """Display width: a CJK character says about as much as two Latin letters."""
    return len(key) + sum(1 for c in key if c >= "\u2e80")


def is_counter(key: str) -> bool:
    """`5.9k`, `阅读(287)`, `1,024 views`: a count standing alone on its line."""
    return bool(_COUNTER.match(key))


def is_link_item(raw: str, key: str) -> bool:
    """A bullet followed by a short title without sentence punctuation (`· 某某发布新品`)."""
    bullet = _BULLET.match(raw)
    if not bullet:
        return False
    title = raw[bullet.end():].strip()
    return 0 < len(title) <= 40 and not _SENTENCE_END.search(key)


def is_menu(key: str) -> bool:
    """`首页 | 新闻 | 体育 | 财经`: three or more short items and no sentence punctuation."""
    if _SENTENCE_END.search(key) or _CLAUSE.search(key):
        return False
    items = [i for i in _MENU_SEPARATOR.split(key) if i]
    if len(items) < 3 and " " in key and all(ord(c) > 0x2E80 or c == " " for c in key):
        items = key.split(" ")  # CJK menus are often separated by single spaces
    return len(items) >= 3 and all(len(i) <= (6 if ord(i[0]) > 0x2E80 else 16) for i in items)


def is_breadcrumb(key: str) -> bool:
    """`新闻 > 国际 > 正文`: three or more short parts joined by arrows."""
    parts = _BREADCRUMB_SEPARATOR.split(key)
    return len(parts) >= 3 and all(0 < len(p) <= 20 for p in parts)
