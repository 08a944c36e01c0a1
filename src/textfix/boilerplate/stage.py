"""The `boilerplate` stage: remove page chrome (navigation, share and app prompts, comment
widgets, notices, related lists) line by line, keeping every article line byte-identical.

Three signals, then position:
- rule packs (`rules/*.json`): named patterns; `anywhere` rules remove a line wherever it is,
  `edge` rules only in chrome territory;
- corpus statistics (`LineStats`, optional): lines found in many documents of the corpus;
- line shapes (`features`): counters, link lists, menus, breadcrumbs.
Prose lines cut the page into blocks of non-prose lines. The head and tail blocks (when
they hold a strong hit or two kinds of weak ones) and a middle block holding two or more
strong hits (the chrome between two scraped copies of an article) are chrome territory,
where weak hits go too. In the tail and in middle chrome blocks, short lines without any
hit go as well (list titles, tag names); the head keeps them, because the title lives there.
"""
from __future__ import annotations

import re
from itertools import compress, count
from operator import itemgetter
from typing import Iterable, NamedTuple

from ..document import Document
from . import features
from .line_stats import LineStats
from .lines import line_table, match_keys, removal_spans
from .rules import ANYWHERE, RuleSet

# how sure each kind of evidence is (rules: 1.0); explain and reports show it
CONFIDENCE = {
    "counter": 0.95,
    "frequent-line": 0.9,
    "page-title": 0.9,
    "link-list": 0.85,
    "breadcrumb-shape": 0.85,
    "menu": 0.8,
    "site-header": 0.75,
    "tail-chrome": 0.75,
    "chrome-block": 0.75,
}
MEMO_LINES = 1 << 16  # lines whose facts are remembered (then forgotten all at once)
FILLER_MAX_LEN = 30  # a line this short with no hit is list/tag filler inside a chrome block
FREQUENT_PROSE_WIDTH = 40  # frequent prose this wide (CJK counts 2) is syndicated text, kept
HEADER_SCAN = 10  # non-blank lines searched for the title at the top of the page
TITLE_SEPARATORS = ("丨", " | ", " - ", " – ", " — ", "_", "|")
_TITLE_SEPARATOR = re.compile("|".join(map(re.escape, TITLE_SEPARATORS)))
SITE_NAME_LEN = 16


class _Facts(NamedTuple):
    """What a line says by itself, as `find_chrome` weighs it (remembered per line text)."""

    key: str
    strong: str | None  # an `anywhere` rule, a counter, or a corpus-frequent line that is no long prose
    weak: str | None  # an `edge` rule, a breadcrumb shape, or a menu
    frequent_prose: bool  # corpus-frequent long prose: chrome unless it is all the page has
    link_item: bool
    prose: bool


_STRONG, _WEAK, _FREQUENT_PROSE, _LINK_ITEM = (itemgetter(_Facts._fields.index(name)) for name in ("strong", "weak", "frequent_prose", "link_item"))


class BoilerplateStage:
    name = "boilerplate"

    def __init__(
        self,
        languages: Iterable[str] | None = None,
        line_stats: LineStats | None = None,
        min_docs: int = 5,
        min_fraction: float = 0.02,
    ):
        """languages: rule packs to use (default: all). line_stats: corpus statistics from a
        first pass; a line in at least max(min_docs, min_fraction * documents) documents is chrome."""
        self.rules = RuleSet(languages)
        self.line_stats = line_stats
        self.min_docs = min_docs
        self.min_fraction = min_fraction
        self._memo: dict[str, _Facts] = {}
        self._memo_stamp: int | None = None
        self._threshold = 0.0

    def __call__(self, doc: Document) -> Document:
        lines = line_table(doc.text)
        removed = self.find_chrome(lines.texts)
        if not removed:
            return doc
        sure = CONFIDENCE.get
        spans = removal_spans(lines, removed)
        return doc.apply(self.name, [(start, stop, "", reason := removed[i], sure(reason, 1.0)) for start, stop, i in spans])

    def find_chrome(self, lines: list[str]) -> dict[int, str]:
        """Line index -> name of the rule or feature that marks it as chrome."""
        index = list(compress(range(len(lines)), map(str.strip, lines)))  # of the non-blank lines
        stamp = None if self.line_stats is None else self.line_stats.documents
        if stamp != self._memo_stamp:  # statistics grew since: what was frequent may differ
            self._memo.clear()
            self._memo_stamp = stamp
            if self.line_stats is not None:
                self._threshold = self.line_stats.threshold(self.min_docs, self.min_fraction)
        memo = self._memo  # chrome lines recur from page to page: most lines are known
        content = [lines[i] for i in index]
        new = list(set(content).difference(memo))
        if new:
            if len(memo) + len(new) > MEMO_LINES:
                memo.clear()
            memo.update(zip(new, self._facts(new)))
        # from here on a line is named by its place n among the non-blank ones (`index[n]`)
        facts = list(map(memo.__getitem__, content))
        strong = list(map(_STRONG, facts))
        weak = list(map(_WEAK, facts))
        if any(map(_LINK_ITEM, facts)):
            self._link_lists(facts, strong, weak)
        prose = {n for n, fact, s, w in zip(count(), facts, strong, weak) if fact.prose and s is None and w is None}
        # prose found all over the corpus is chrome too (`Got a tip? Write to us`), unless
        # nothing else is left to anchor the page: then the article itself is syndicated
        frequent_prose = set(compress(count(), map(_FREQUENT_PROSE, facts)))
        anchors = (prose - frequent_prose) or prose
        for n in frequent_prose - anchors:
            weak[n] = "frequent-line"
        # blocks: the runs of lines between anchors, the first before any, the last after all
        cuts = sorted(anchors)
        removed: dict[int, str] = {}
        last = len(cuts)
        for b, (low, high) in enumerate(zip([-1, *cuts], [*cuts, len(facts)])):
            low += 1
            if low >= high:
                continue
            hits = high - low - strong[low:high].count(None)
            weak_kinds = len(set(weak[low:high]) - {None})
            head, tail = b == 0, b == last and b > 0
            # weak signals count at the edges only beside other chrome (a strong hit, corpus-
            # frequent prose, or another kind of weak hit: a bulleted list alone may be the
            # article's); a middle block is chrome when it holds two strong hits
            frequent = bool(frequent_prose) and any(low <= n < high for n in frequent_prose)
            edge_chrome = (head or tail) and (hits >= 1 or frequent or weak_kinds >= 2)
            chrome_block = edge_chrome or (not head and not tail and hits >= 2)
            if not hits and not chrome_block:
                continue  # nothing of it goes
            filler = chrome_block and not head and hits + weak_kinds >= 2
            for n in range(low, high):
                if strong[n] is not None:
                    removed[index[n]] = strong[n]
                elif weak[n] is not None and chrome_block:
                    removed[index[n]] = weak[n]
                elif filler and len(facts[n].key) <= FILLER_MAX_LEN:
                    removed[index[n]] = "tail-chrome" if tail else "chrome-block"
        top = [n for n in range(min(HEADER_SCAN, len(facts))) if strong[n] is None and weak[n] is None]
        for n, reason in self._page_header(top, facts).items():
            removed.setdefault(index[n], reason)
        return removed

    def _facts(self, texts: list[str]) -> list[_Facts]:
        """What each line of `texts` says by itself."""
        keys = match_keys(texts)
        frequent = self.line_stats.reaches if self.line_stats is not None else None
        threshold = self._threshold
        facts = []
        for text, key, shape, rule in zip(texts, keys, features.shapes(texts, keys), self.rules.match_all(keys)):
            strong = weak = None
            if rule is not None:
                strong, weak = (rule.name, None) if rule.where == ANYWHERE else (None, rule.name)
            elif shape.counter:
                strong = "counter"
            elif shape.breadcrumb:
                weak = "breadcrumb-shape"
            frequent_prose = False
            if strong is None and weak is None:
                if frequent is not None and frequent(key, threshold):
                    if shape.prose and features.width(key) >= FREQUENT_PROSE_WIDTH:
                        frequent_prose = True
                    else:
                        strong = "frequent-line"
                elif shape.may_be_menu and features.menu_items(text, key):
                    weak = "menu"
            facts.append(tuple.__new__(_Facts, (key, strong, weak, frequent_prose, shape.link_item, shape.prose)))
        return facts

    @staticmethod
    def _link_lists(facts: list[_Facts], strong: list[str | None], weak: list[str | None]) -> None:
        """Link lists: two or more bullet items of short titles in a row. An article may
        have such a list too; under a related-list header or with view counters between
        the items it is the site's (strong hits), else weak ones."""
        run: list[int] = []
        counted = False
        for n, fact in enumerate(facts + [None]):
            if fact is not None and fact.link_item:
                run.append(n)
                continue
            if fact is not None and run and strong[n] == "counter":
                counted = True
                continue
            if len(run) >= 2:
                above = run[0] - 1
                headed = above >= 0 and (strong[above] or weak[above]) == "related-list-header"
                target = strong if counted or headed else weak
                for i in run:
                    if strong[i] is None:
                        target[i] = "link-list"
            run, counted = [], False

    @staticmethod
    def _page_header(top: list[int], facts: list[_Facts]) -> dict[int, str]:
        """What a page prints above its article, recognised by the title (`top`: places of
        the first lines that no rule or shape took).

        Blog pages print site name and tagline, then the post title twice: the non-prose
        lines above the first copy are the site's header. Many pages also print the HTML
        title, `标题丨站名` / `Title | Site`, next to the title itself.
        """
        removed: dict[int, str] = {}
        keys = [facts[n].key for n in top]
        titles = set(keys)
        for n, key in zip(top, keys):
            if not _TITLE_SEPARATOR.search(key):
                continue
            for separator in TITLE_SEPARATORS:
                if separator not in key:
                    continue
                head, sep, rest = key.rpartition(separator)
                first, sep_first, rest_first = key.partition(separator)
                if sep and head.strip() in titles and 0 < len(rest.strip()) <= SITE_NAME_LEN:
                    removed[n] = "page-title"
                elif sep_first and rest_first.strip() in titles and 0 < len(first.strip()) <= SITE_NAME_LEN:
                    removed[n] = "page-title"
        for m, key in enumerate(keys):
            if len(key) >= 4 and key in keys[m + 1 : m + 4]:
                if all(len(above) <= 40 and not features.is_prose(above) for above in keys[:m]):
                    for n in top[:m]:
                        removed.setdefault(n, "site-header")
                break
        return removed
