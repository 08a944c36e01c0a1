"""The `boilerplate` stage: remove page chrome (navigation, share and app prompts, comment
widgets, notices, related lists) line by line, keeping every article line byte-identical.

Three signals, then position:
- rule packs (`rules/*.json`): named patterns; `anywhere` rules remove a line wherever it is,
  `edge` rules only in chrome territory;
- corpus statistics (`LineStats`, optional): lines found in many documents of the corpus;
- line shapes (`features`): counters, link lists, menus, breadcrumbs.
Prose lines cut the page into blocks of non-prose lines. The head and tail blocks, and a
middle block holding two or more strong hits (the chrome between two scraped copies of an
article), are chrome territory. In the tail and in middle chrome blocks, short lines without
a hit go too (list titles, tag names); the head keeps them, because the title lives there.
"""
from __future__ import annotations

from typing import Iterable

from ..document import Document
from . import features
from .line_stats import LineStats
from .lines import Line, match_key, removal_edits, split_lines
from .rules import ANYWHERE, RuleSet

FILLER_MAX_LEN = 30  # a line this short with no hit is list/tag filler inside a chrome block
FREQUENT_PROSE_WIDTH = 40  # frequent prose this wide (CJK counts 2) is syndicated text, kept
HEADER_SCAN = 8  # non-blank lines searched for a repeated title at the top of the page


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

    def __call__(self, doc: Document) -> Document:
        lines = split_lines(doc.text)
        removed = self.find_chrome(lines)
        if not removed:
            return doc
        return doc.apply(self.name, removal_edits(lines, removed))

    def find_chrome(self, lines: list[Line]) -> dict[int, str]:
        """Line index -> name of the rule or feature that marks it as chrome."""
        content = [line for line in lines if not line.blank]
        keys = {line.index: match_key(line.text) for line in content}
        strong, weak = self._hits(content, keys)
        anchors = {
            i for i, key in keys.items() if i not in strong and i not in weak and features.is_prose(key)
        }
        blocks: list[list[int]] = [[]]
        for line in content:
            if line.index in anchors:
                blocks.append([])
            else:
                blocks[-1].append(line.index)
        removed: dict[int, str] = {}
        last = len(blocks) - 1
        for n, block in enumerate(blocks):
            hits = [i for i in block if i in strong]
            head, tail = n == 0, n == last and n > 0
            chrome_block = tail or (not head and len(hits) >= 2)
            for i in block:
                if i in strong:
                    removed[i] = strong[i]
                elif i in weak and (head or chrome_block):
                    removed[i] = weak[i]
                elif chrome_block and len(hits) + sum(j in weak for j in block) >= 2 and len(keys[i]) <= FILLER_MAX_LEN:
                    removed[i] = "tail-chrome" if tail else "chrome-block"
        for i in self._site_header(content, keys):
            removed.setdefault(i, "site-header")
        return removed

    def _hits(self, content: list[Line], keys: dict[int, str]) -> tuple[dict[int, str], dict[int, str]]:
        strong: dict[int, str] = {}
        weak: dict[int, str] = {}
        for line in content:
            key = keys[line.index]
            rule = self.rules.match(key)
            if rule is not None:
                (strong if rule.where == ANYWHERE else weak)[line.index] = rule.name
            elif features.is_counter(key):
                strong[line.index] = "counter"
            elif features.is_breadcrumb(key):
                strong[line.index] = "breadcrumb-shape"
            elif self._frequent(line.text, key):
                strong[line.index] = "frequent-line"
            elif features.is_menu(key):
                weak[line.index] = "menu"
        # link lists: two or more bullet items of short titles in a row
        run: list[int] = []
        for line in content + [None]:
            if line is not None and features.is_link_item(line.text, keys[line.index]):
                run.append(line.index)
                continue
            if len(run) >= 2:
                for i in run:
                    if i not in strong:
                        weak.setdefault(i, "link-list")
            run = []
        return strong, weak

    def _frequent(self, text: str, key: str) -> bool:
        if self.line_stats is None or len(key) < 2:
            return False
        if features.width(key) >= FREQUENT_PROSE_WIDTH and features.is_prose(key):
            return False
        return self.line_stats.is_frequent(text, self.min_docs, self.min_fraction)

    @staticmethod
    def _site_header(content: list[Line], keys: dict[int, str]) -> list[int]:
        """Blog-style pages print site name and tagline, then the post title twice; the short
        lines above the first copy of a title repeated near the top are the site's header."""
        top = content[: HEADER_SCAN + 4]
        for n, line in enumerate(top[:HEADER_SCAN]):
            key = keys[line.index]
            if len(key) >= 4 and any(keys[later.index] == key for later in top[n + 1 :]):
                above = top[:n]
                if all(len(keys[a.index]) <= 40 for a in above):
                    return [a.index for a in above]
                return []
        return []
