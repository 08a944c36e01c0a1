"""Lines of a document with their offsets, a matching key, and the edits that remove lines.

Both page-cleaning stages decide per line; this module is what they share: how a text is cut
into lines, how a line is normalised for comparison, and how removing lines becomes `Edit`s
that leave every kept line byte-identical.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import accumulate, repeat
from operator import add
from typing import Callable, Iterable, NamedTuple
from ..document import Document, Edit

# `(pinyin)` a byte-level converter inserted after a hanzi; matching ignores it so rules and
# copies still match text that repair has not (yet) cleaned.
ANNOTATION = re.compile(r"(?<=[\u3400-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüń]{1,7}\)")


class Line(NamedTuple):  # a tuple: pages have thousands of lines, built twice per document
    index: int
    start: int  # offset of the first character
    end: int  # offset just after the content, before the line break
    stop: int  # offset just after the line break (== end on a last line without one)
    text: str  # the content, without the line break

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    """Cut on '\n' only (str.splitlines also cuts on U+2028, \x1c ... which are content here).
    Offsets come from running sums in C: pages have thousands of lines, this runs per stage."""
    if not text:
        return []
    parts = text.split("\n")
    if parts[-1] == "":
        parts.pop()  # the text ends with a line break: no empty last line
    lengths = list(map(len, parts))
    starts = list(accumulate(map((1).__add__, lengths), initial=0))
    stops = starts[1:]
    stops[-1] = min(stops[-1], len(text))  # no line break after the last line
    ends = list(map(add, starts, lengths))
    if "\r" in text:
        for i, part in enumerate(parts):
            if part.endswith("\r"):
                parts[i] = part[:-1]
                ends[i] -= 1
    # tuple.__new__ is what Line._make calls, without a Python call per line
    return list(map(tuple.__new__, repeat(Line), zip(range(len(parts)), starts, ends, stops, parts)))


@lru_cache(maxsize=1 << 12)
def nfkc(line: str) -> str:
    """NFKC of a line, remembered for a while: both page stages key the lines of a page,
    one after the other, and NFKC is most of the work on CJK text (fullwidth punctuation)."""
    return unicodedata.normalize("NFKC", line)


def match_key(line: str) -> str:
    """A line as rules and comparisons see it: NFKC, lower case, no converter annotations,
    whitespace collapsed (U+00A0 and U+3000 included)."""
    key = nfkc(line)
    if "(" in key:
        key = ANNOTATION.sub("", key)
    return " ".join(key.split()).casefold()  # str.split's whitespace is re's \s


def removal_edits(lines: list[Line], removed: dict[int, str]) -> list[Edit]:
    """One Edit per removed line, in line order, reason = why it goes; kept lines stay
    byte-identical.

    Blank lines stay sensible: the blank lines after a removed line go with it, so
    `A / - / X / - / B` becomes `A / - / B` and `A / X / B` becomes `A / B`. At the head the
    first removed line also takes the blank lines before it; at the tail the removed run
    takes the blank lines before it, so the text ends where the last kept line ends (with a
    line break only if the text ended with one).
    """
    if not removed or not lines:
        return []
    count = len(lines)
    content = [i for i, line in enumerate(lines) if line.text.strip() and i not in removed]
    first_kept = content[0] if content else count
    last_kept = content[-1] if content else -1
    ends_with_break = lines[-1].stop > lines[-1].end
    order = sorted(removed)
    edits: list[Edit] = []
    for n, i in enumerate(order):
        line = lines[i]
        if i < first_kept:
            start = edits[-1].end if edits else 0
        elif i > last_kept and (n == 0 or order[n - 1] < last_kept):
            kept = lines[last_kept]
            start = kept.stop if ends_with_break else kept.end
        else:
            start = line.start
        if i > last_kept and n == len(order) - 1:
            stop = lines[-1].stop
        elif i > last_kept:
            stop = lines[order[n + 1]].start
        else:
            j = i + 1
            while j < count and lines[j].blank and j not in removed:
                j += 1
            stop = lines[j - 1].stop
        edits.append(Edit(start, stop, "", removed[i]))
    return edits




def surviving_lines(text: str, stages: Iterable[Callable[[Document], Document | None]]) -> tuple[Document, list[int]]:
    """Run `stages` one by one; return the result and, for each of its lines, the index of the
    input line it comes from, so labels of the input can be checked against the output.

    A stage that keeps the number of lines keeps every line where it was (edits within lines,
    as repair makes). A stage that removes lines must record them in one `apply`, as the page
    stages do, so that its Changes index the text it received: a line survives unless a
    deletion covers it, line break included."""
    origin = list(range(len(split_lines(text))))
    doc = Document(text)
    for stage in stages:
        lines = split_lines(doc.text)
        done = len(doc.changes)
        result = stage(doc)
        if result is None:
            return Document("", doc.id, doc.metadata, doc.changes), []
        doc = result
        out_count = len(split_lines(doc.text))
        if out_count == len(lines):
            continue
        deletions = [(c.start, c.end) for c in doc.changes[done:] if c.after == ""]
        origin = [
            origin[line.index]
            for line in lines
            if not any(start <= line.start and line.stop <= end for start, end in deletions)
        ]
        if out_count != len(origin):
            raise ValueError(f"{getattr(stage, 'name', stage)} added or merged lines; cannot trace them")
    return doc, origin
