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

from typing import Iterable, NamedTuple

from ..document import Document
from . import features
from .line_stats import LineStats
from .lines import Line, match_key, removal_edits, split_lines
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
SHAPE_MAX_LEN = 80  # counters, menus, breadcrumbs and list items are shorter
FILLER_MAX_LEN = 30  # a line this short with no hit is list/tag filler inside a chrome block
FREQUENT_PROSE_WIDTH = 40  # frequent prose this wide (CJK counts 2) is syndicated text, kept
HEADER_SCAN = 10  # non-blank lines searched for the title at the top of the page
TITLE_SEPARATORS = ("丨", " | ", " - ", " – ", " — ", "_", "|")
SITE_NAME_LEN = 16


class _Facts(NamedTuple):
    key: str
    strong: str | None  # an `anywhere` rule, or a counter
    weak: str | None  # an `edge` rule, or a breadcrumb shape
    menu: bool
    link_item: bool
    prose: bool
    frequent: bool  # in many documents of the corpus (LineStats)


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

    def __call__(self, doc: Document) -> Document:
        lines = split_lines(doc.text)
        removed = self.find_chrome(lines)
        if not removed:
            return doc
        edits = removal_edits(lines, removed)
        for edit in edits:
            edit.confidence = CONFIDENCE.get(edit.reason, 1.0)
        return doc.apply(self.name, edits)

    def find_chrome(self, lines: list[Line]) -> dict[int, str]:
        """Line index -> name of the rule or feature that marks it as chrome."""
        content = [line for line in lines if line.text.strip()]  # not .blank: a call per line
        stamp = None if self.line_stats is None else self.line_stats.documents
        if stamp != self._memo_stamp:  # statistics grew since: what was frequent may differ
            self._memo.clear()
            self._memo_stamp = stamp
        memo = self._memo  # chrome lines recur from page to page: most lines are known
        facts = {line.index: memo.get(line.text) or self._facts(line.text) for line in content}
        keys = {i: fact.key for i, fact in facts.items()}
        strong, weak, frequent_prose = self._hits(content, facts)
        prose = {i for i, fact in facts.items() if i not in strong and i not in weak and fact.prose}
        # prose found all over the corpus is chrome too (`Got a tip? Write to us`), unless
        # nothing else is left to anchor the page: then the article itself is syndicated
        anchors = (prose - frequent_prose.keys()) or prose
        weak.update((i, reason) for i, reason in frequent_prose.items() if i not in anchors)
        blocks: list[list[int]] = [[]]
        for line in content:
            if line.index in anchors:
                blocks.append([])
            else:
                blocks[-1].append(line.index)
        removed: dict[int, str] = {}
        last = len(blocks) - 1
        for n, block in enumerate(blocks):
            hits = sum(i in strong for i in block)
            weak_kinds = len({weak[i] for i in block if i in weak})
            head, tail = n == 0, n == last and n > 0
            # weak signals count at the edges only beside other chrome (a strong hit, corpus-
            # frequent prose, or another kind of weak hit: a bulleted list alone may be the
            # article's); a middle block is chrome when it holds two strong hits
            frequent = any(i in frequent_prose for i in block)
            edge_chrome = (head or tail) and (hits >= 1 or frequent or weak_kinds >= 2)
            chrome_block = edge_chrome or (not head and not tail and hits >= 2)
            filler = chrome_block and not head and hits + weak_kinds >= 2
            for i in block:
                if i in strong:
                    removed[i] = strong[i]
                elif i in weak and chrome_block:
                    removed[i] = weak[i]
                elif filler and len(keys[i]) <= FILLER_MAX_LEN:
                    removed[i] = "tail-chrome" if tail else "chrome-block"
        top = [line for line in content[:HEADER_SCAN] if line.index not in strong and line.index not in weak]
        for i, reason in self._page_header(top, keys).items():
            removed.setdefault(i, reason)
        return removed

    def _facts(self, text: str) -> _Facts:
        """What a line says by itself, remembered (find_chrome looks it up first)."""
        if len(self._memo) >= MEMO_LINES:
            self._memo.clear()
        key = match_key(text)
        short = len(key) <= SHAPE_MAX_LEN
        strong = weak = None
        rule = self.rules.match(key)
        if rule is not None:
            strong, weak = (rule.name, None) if rule.where == ANYWHERE else (None, rule.name)
        elif short and features.is_counter(key):
            strong = "counter"
        elif short and features.is_breadcrumb(key):
            weak = "breadcrumb-shape"
        fact = self._memo[text] = _Facts(
            key=key,
            strong=strong,
            weak=weak,
            menu=short and features.is_menu(text, key),
            link_item=short and features.is_link_item(text, key),
            prose=features.is_prose(key),
            frequent=self.line_stats is not None
            and self.line_stats.is_frequent_key(key, self.min_docs, self.min_fraction),
        )
        return fact

    def _hits(
        self, content: list[Line], facts: dict[int, _Facts]
    ) -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
        """Strong hits (removed anywhere), weak hits (removed in chrome territory), and
        corpus-frequent prose (chrome unless it is all the page has)."""
        strong: dict[int, str] = {}
        weak: dict[int, str] = {}
        frequent_prose: dict[int, str] = {}
        for line in content:
            fact = facts[line.index]
            if fact.strong:
                strong[line.index] = fact.strong
            elif fact.weak:
                weak[line.index] = fact.weak
            elif fact.frequent:
                if fact.prose and features.width(fact.key) >= FREQUENT_PROSE_WIDTH:
                    frequent_prose[line.index] = "frequent-line"
                else:
                    strong[line.index] = "frequent-line"
            elif fact.menu:
                weak[line.index] = "menu"
        # link lists: two or more bullet items of short titles in a row. An article may
        # have such a list too; under a related-list header or with view counters between
        # the items it is the site's.
        run: list[int] = []
        counted = False
        start = 0  # position in `content` of the run's first item
        for n, line in enumerate(content + [None]):
            if line is not None and facts[line.index].link_item:
                if not run:
                    start = n
                run.append(line.index)
                continue
            if line is not None and run and strong.get(line.index) == "counter":
                counted = True
                continue
            if len(run) >= 2:
                above = content[start - 1].index if start > 0 else None
                headed = above is not None and (strong.get(above) or weak.get(above)) == "related-list-header"
                target = strong if counted or headed else weak
                for i in run:
                    if i not in strong:
                        target[i] = "link-list"
            run, counted = [], False
        return strong, weak, frequent_prose

    @staticmethod
    def _page_header(top: list[Line], keys: dict[int, str]) -> dict[int, str]:
        """What a page prints above its article, recognised by the title.

        Blog pages print site name and tagline, then the post title twice: the non-prose
        lines above the first copy are the site's header. Many pages also print the HTML
        title, `标题丨站名` / `Title | Site`, next to the title itself.
        """
        removed: dict[int, str] = {}
        titles = {keys[line.index] for line in top}
        for line in top:
            key = keys[line.index]
            for separator in TITLE_SEPARATORS:
                if separator not in key:
                    continue
                head, sep, rest = key.rpartition(separator)
                first, sep_first, rest_first = key.partition(separator)
                if sep and head.strip() in titles and 0 < len(rest.strip()) <= SITE_NAME_LEN:
                    removed[line.index] = "page-title"
                elif sep_first and rest_first.strip() in titles and 0 < len(first.strip()) <= SITE_NAME_LEN:
                    removed[line.index] = "page-title"
        for n, line in enumerate(top):
            key = keys[line.index]
            if len(key) >= 4 and any(keys[later.index] == key for later in top[n + 1 : n + 4]):
                above = top[:n]
                if all(len(keys[a.index]) <= 40 and not features.is_prose(keys[a.index]) for a in above):
                    for a in above:
                        removed.setdefault(a.index, "site-header")
                break
        return removed
