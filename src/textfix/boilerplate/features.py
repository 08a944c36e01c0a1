"""Shape features of a line, for chrome that no rule pack words: counters, link lists, menus."""
from __future__ import annotations

import re
from typing import NamedTuple

# Sentence punctuation after NFKC (fullwidth ',!?;:' are ASCII in a match key): `。!?…`
# anywhere, `.` or `;` at the end (perhaps before a closing quote) or before a space. One
# character class first, so that a search skips to the next punctuation mark.
_SENTENCE_END = re.compile(r"[。!?….;](?:(?<=[^.;])|[\"'”’)]?$|(?= ))")
_CLAUSE = re.compile(r"[,,、;。!?]")
_WIDE = re.compile("[\u2e80-\U0010ffff]+")  # CJK and beyond: two columns

LONG_LINE_WIDTH = 80
SHAPE_MAX_LEN = 80  # counters, menus, breadcrumbs and list items are shorter

_COUNTER = re.compile(
    r"^(\d[\d,]*(\.\d+)?\s?[kmw万千]\+?"
    r"|(阅读|閱讀|浏览|瀏覽|点击|點擊|点赞|點贊|views?|reads?|likes?)\s*[(:]?\s*\d[\d,.]*[kmw万]?\+?\)?"
    r"|\d[\d,.]*[kmw万]?\s*(views|reads|likes|comments|次阅读|人阅读|次浏览|次閱讀|人閱讀|次瀏覽|阅读|閱讀))$"
)
_BULLET = re.compile(r"^\s*([•·▪◦●■□▶►»›]\s*|[*\-–]\s+|\d{1,2}[.、)]\s*)")
_STATEMENT = re.compile(r"[。;]|[.;] ")  # headlines ask and exclaim, they rarely state twice
_MENU_SEPARATOR = re.compile(r"\s*[|·•‧]\s*|\s+/\s+|\s{2,}")
_MENU_SEPARATOR_HINT = re.compile(r"[|·•‧/\s](?:(?<=[|·•‧/])|\s)")  # what any separator holds
_CJK_AND_SPACES = re.compile("[\u2e81-\U0010ffff ]*")
_BREADCRUMB_SEPARATOR = re.compile(r"\s*(?:>|›|»|>>)\s*")  # not →: menu paths in manuals


def is_prose(key: str) -> bool:
    """Article text: a sentence, or a long line with clauses. Titles and chrome mostly are not."""
    return _prose(key, _SENTENCE_END.search(key), _CLAUSE.search(key))


def _prose(key: str, sentence: re.Match | None, clause: re.Match | None) -> bool:
    if len(key) >= 8 and sentence:
        return True
    if len(key) >= 24 and clause:
        return True
    # chrome this long is worded (rules) or frequent (stats); width(key) <= 2 * len(key)
    return 2 * len(key) >= LONG_LINE_WIDTH and width(key) >= LONG_LINE_WIDTH


def width(key: str) -> int:
    """Display width: a CJK character says about as much as two Latin letters."""
    return len(key) + sum(map(len, _WIDE.findall(key)))


def is_counter(key: str) -> bool:
    """`5.9k`, `阅读(287)`, `1,024 views`: a count standing alone on its line."""
    return bool(_COUNTER.match(key))


def is_link_item(raw: str, key: str) -> bool:
    """A bullet followed by a short headline (`· 某某发布新品`, `• AI会取代人类吗?`)."""
    return _link_item(raw, key, _BULLET.match(raw))


def _link_item(raw: str, key: str, bullet: re.Match | None) -> bool:
    if not bullet:
        return False
    title = raw[bullet.end():].strip()
    return 0 < len(title) <= 40 and not _STATEMENT.search(key.rstrip("。. "))


def is_menu(raw: str, key: str) -> bool:
    """`首页 | 新闻 | 体育 | 财经`, `Metro  Nation  Arts`: three or more short items and no
    sentence punctuation. Reads the raw line: the key has collapsed the double spaces."""
    if _SENTENCE_END.search(key) or _CLAUSE.search(key):
        return False
    return menu_items(raw, key)


def menu_items(raw: str, key: str) -> bool:
    """is_menu for a key without sentence or clause punctuation (`Shapes.may_be_menu`)."""
    line = raw.strip()
    items = [i for i in _MENU_SEPARATOR.split(line) if i] if _MENU_SEPARATOR_HINT.search(line) else [line]
    if len(items) < 3 and " " in key and _CJK_AND_SPACES.fullmatch(key):
        # CJK menus separated by single spaces: four or more 2-4 character items; word-
        # segmented prose (`如果 要 對 多個`) has one-character words
        items = key.split(" ")
        return len(items) >= 4 and all(2 <= len(i) <= 4 for i in items)
    return len(items) >= 3 and all(len(i) <= (6 if ord(i[0]) > 0x2E80 else 16) for i in items)


def is_breadcrumb(key: str) -> bool:
    """`新闻 > 国际 > 正文`: three or more short parts joined by arrows."""
    parts = _BREADCRUMB_SEPARATOR.split(key)
    return len(parts) >= 3 and all(0 < len(p) <= 20 for p in parts)


class Shapes(NamedTuple):
    counter: bool
    breadcrumb: bool
    may_be_menu: bool  # no sentence or clause punctuation: `menu_items` tells
    link_item: bool
    prose: bool


NO_SHAPE_PROSE = Shapes(False, False, False, False, True)


def shapes(raws: list[str], keys: list[str]) -> list[Shapes]:
    """All the shapes of each line (`raws`, their match keys `keys`), each regex run once per
    line: what the boilerplate stage asks of every new line. A key longer than
    `SHAPE_MAX_LEN` is too long for any shape but prose, and prose (it is
    `LONG_LINE_WIDTH` wide at least)."""
    out = []
    append, new = out.append, tuple.__new__
    sentence_end, clause_mark, counter, bullet = _SENTENCE_END.search, _CLAUSE.search, _COUNTER.match, _BULLET.match
    for raw, key in zip(raws, keys):
        size = len(key)
        if size > SHAPE_MAX_LEN:
            append(NO_SHAPE_PROSE)
            continue
        sentence = sentence_end(key) is not None
        clause = clause_mark(key) is not None
        item = bullet(raw)
        append(
            new(  # Shapes(...) without its Python-level __new__
                Shapes,
                (
                    counter(key) is not None,
                    (">" in key or "›" in key or "»" in key) and is_breadcrumb(key),
                    not sentence and not clause,
                    item is not None and _link_item(raw, key, item),
                    # `_prose`, inlined: it runs on every new line
                    (sentence and size >= 8) or (clause and size >= 24) or (size >= 40 and width(key) >= LONG_LINE_WIDTH),
                ),
            )
        )
    return out
