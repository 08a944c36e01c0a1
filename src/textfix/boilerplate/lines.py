"""Lines of a document with their offsets, a matching key, and the edits that remove lines.

Both page-cleaning stages decide per line; this module is what they share: how a text is cut
into lines, how a line is normalised for comparison, and how removing lines becomes `Edit`s
that leave every kept line byte-identical.
"""
from __future__ import annotations

import re
from itertools import accumulate, compress, repeat
from operator import add
from typing import Callable, Iterable, NamedTuple
from unicodedata import is_normalized, normalize

from ..document import Document, Edit

# `(pinyin)` a byte-level converter inserted after a hanzi; matching ignores it so rules and
# copies still match text that repair has not (yet) cleaned. The lookbehind comes after the
# `(`, so that a search jumps from one `(` to the next.
ANNOTATION = re.compile(r"\((?<=[\u3400-\u9fff]\()[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüń]{1,7}\)")


class Line(NamedTuple):  # a tuple: pages have thousands of lines, built twice per document
    index: int
    start: int  # offset of the first character
    end: int  # offset just after the content, before the line break
    stop: int  # offset just after the line break (== end on a last line without one)
    text: str  # the content, without the line break

    @property
    def blank(self) -> bool:
        return not self.text.strip()


class LineTable(NamedTuple):
    """The lines of a text as two lists, without an object per line: what the page stages
    read. Line i is `texts[i]`, from `starts[i]` to `starts[i] + len(texts[i])`; it stops
    (after its line break, if any) at `starts[i + 1]`."""

    texts: list[str]  # each line's content, without its line break
    starts: list[int]  # one more than lines: the last is where the last line stops

    @classmethod
    def of(cls, lines: list[Line]) -> "LineTable":
        return cls([line.text for line in lines], [line.start for line in lines] + [lines[-1].stop if lines else 0])


def line_table(text: str) -> LineTable:
    """Cut on '\n' only (str.splitlines also cuts on U+2028, \x1c ... which are content here).
    Offsets come from running sums in C: pages have thousands of lines, this runs per stage."""
    if not text:
        return LineTable([], [0])
    parts = text.split("\n")
    if parts[-1] == "":
        parts.pop()  # the text ends with a line break: no empty last line
    starts = list(accumulate(map((1).__add__, map(len, parts)), initial=0))
    starts[-1] = min(starts[-1], len(text))  # no line break after the last line
    if "\r" in text:
        parts = [part[:-1] if part.endswith("\r") else part for part in parts]
    return LineTable(parts, starts)


def split_lines(text: str) -> list[Line]:
    """The lines of `line_table(text)`, as objects."""
    texts, starts = line_table(text)
    ends = list(map(add, starts, map(len, texts)))
    # tuple.__new__ is what Line._make calls, without a Python call per line
    return list(map(tuple.__new__, repeat(Line), zip(range(len(texts)), starts, ends, starts[1:], texts)))


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), faster.

    NFKC is NFKD then canonical composition, and CPython's composition step costs ten times
    its decomposition. Text that needs NFKC is mostly CJK with fullwidth punctuation, whose
    decomposition has nothing to compose: when NFKD's result is already NFC, it is the NFKC;
    else only its lines that are not NFC go through composition."""
    if is_normalized("NFKC", text):
        return text
    decomposed = normalize("NFKD", text)
    if is_normalized("NFC", decomposed):
        return decomposed
    # compose only the lines that need it (composition never reaches across a line break)
    return "\n".join(line if is_normalized("NFC", line) else normalize("NFC", line) for line in decomposed.split("\n"))


def match_key(line: str) -> str:
    """A line as rules and comparisons see it: NFKC, lower case, no converter annotations,
    whitespace collapsed (U+00A0 and U+3000 included)."""
    return match_keys([line])[0]


def match_keys(lines: list[str]) -> list[str]:
    """`match_key` of each of `lines` (none holding a line break), with one NFKC, annotation
    and case-folding pass over all of them: none of the three reaches across a line break."""
    if not lines:
        return []
    text = nfkc("\n".join(lines))
    if "(" in text:
        text = ANNOTATION.sub("", text)
    # str.split's whitespace is re's \s; a printable key holds no whitespace but the space
    return [
        key if key.isprintable() and "  " not in key and key[:1] != " " and key[-1:] != " " else " ".join(key.split())
        for key in text.casefold().split("\n")
    ]


def removal_edits(lines: list[Line] | LineTable, removed: dict[int, str]) -> list[Edit]:
    """One Edit per removed line, in line order, reason = why it goes; kept lines stay
    byte-identical (the spans are `removal_spans`')."""
    return [Edit(start, stop, "", removed[i]) for start, stop, i in removal_spans(lines, removed)]


def removal_spans(lines: list[Line] | LineTable, removed: dict[int, str]) -> list[tuple[int, int, int]]:
    """(start, stop, line index) of the text each removed line takes with it, in line order.

    Blank lines stay sensible: the blank lines after a removed line go with it, so
    `A / - / X / - / B` becomes `A / - / B` and `A / X / B` becomes `A / B`. At the head the
    first removed line also takes the blank lines before it; at the tail the removed run
    takes the blank lines before it, so the text ends where the last kept line ends (with a
    line break only if the text ended with one).
    """
    texts, starts = lines if isinstance(lines, LineTable) else LineTable.of(lines)
    if not removed or not texts:
        return []
    count = len(texts)
    # the first and last non-blank lines kept
    first_kept = next((i for i in compress(range(count), map(str.strip, texts)) if i not in removed), count)
    last_kept = next((i for i in compress(range(count - 1, -1, -1), map(str.strip, reversed(texts))) if i not in removed), -1)
    ends_with_break = starts[-1] > starts[-2] + len(texts[-1])
    order = sorted(removed)
    spans: list[tuple[int, int, int]] = []
    for n, i in enumerate(order):
        if i < first_kept:
            start = spans[-1][1] if spans else 0
        elif i > last_kept and (n == 0 or order[n - 1] < last_kept):
            start = starts[last_kept + 1] if ends_with_break else starts[last_kept] + len(texts[last_kept])
        else:
            start = starts[i]
        if i > last_kept and n == len(order) - 1:
            stop = starts[-1]
        elif i > last_kept:
            stop = starts[order[n + 1]]
        else:
            j = i + 1
            while j < count and j not in removed and not texts[j].strip():
                j += 1
            stop = starts[j]  # where line j - 1 stops
        spans.append((start, stop, i))
    return spans


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
