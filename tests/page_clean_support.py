"""Track which lines of an input survive a chain of stages, through their recorded Changes."""
from __future__ import annotations

from textfix.boilerplate.lines import split_lines
from textfix.document import Document


def surviving_lines(text: str, stages) -> tuple[Document, list[int]]:
    """Run `stages` one by one; return the result and, for each line of the result, the index
    of the input line it comes from. A line survives a stage unless a Change that deletes text
    covers the whole line, its line break included."""
    origin = list(range(len(split_lines(text))))
    doc = Document(text)
    for stage in stages:
        lines = split_lines(doc.text)
        done = len(doc.changes)
        doc = stage(doc)
        deletions = [(c.start, c.end) for c in doc.changes[done:] if c.after == ""]
        survivors = [
            origin[line.index]
            for line in lines
            if not any(start <= line.start and line.stop <= end for start, end in deletions)
        ]
        out_lines = split_lines(doc.text)
        assert len(out_lines) == len(survivors), "a stage changed lines other than by removing them"
        origin = survivors
    return doc, origin
