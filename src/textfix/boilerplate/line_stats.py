"""Corpus line statistics: in how many documents each line occurs (CCNet's chrome signal).

A first pass over a corpus (or a shard) feeds every document to `LineStats.add`; the
boilerplate stage then treats a line found in many documents as site chrome. Counts live in
a count-min sketch, so memory is fixed (depth x width x 4 bytes) however large the corpus;
estimates can only be too high, by at most a small fraction of the corpus with high
probability. Sketches of shards built with the same shape merge by addition.
"""
from __future__ import annotations

import json
from array import array
from pathlib import Path
from typing import Iterable

import xxhash

from .lines import match_key, match_keys

_MASK32 = 0xFFFFFFFF


class LineStats:
    def __init__(self, width: int = 1 << 18, depth: int = 4):
        self.width = width
        self.depth = depth
        self.documents = 0
        self._rows = [array("I", bytes(4 * width)) for _ in range(depth)]

    def _slots(self, key: str) -> list[int]:
        # Kirsch-Mitzenmacher: `depth` indices from the two halves of one 64-bit hash
        h = xxhash.xxh64_intdigest(key.encode("utf-8"))
        low, high, width = h & _MASK32, (h >> 32) | 1, self.width
        return [(low + k * high) % width for k in range(self.depth)]

    def add(self, text: str) -> None:
        """Count each distinct non-blank line of one document once."""
        self.documents += 1
        keys = set(match_keys([line for line in text.split("\n") if line.strip()]))  # as split_lines' keys
        for key in keys:
            slots = self._slots(key)
            rows = self._rows
            least = min(rows[d][s] for d, s in enumerate(slots))
            if least == _MASK32:
                continue
            for d, s in enumerate(slots):
                if rows[d][s] == least:  # conservative update: smaller overestimates
                    rows[d][s] = least + 1

    def update(self, texts: Iterable[str]) -> "LineStats":
        for text in texts:
            self.add(text)
        return self

    def count(self, line: str) -> int:
        """Estimated number of documents containing `line` (never an underestimate)."""
        return self.count_key(match_key(line))

    def count_key(self, key: str) -> int:
        """`count` for a line already turned into its match key (`_slots` inlined)."""
        h = xxhash.xxh64_intdigest(key.encode("utf-8"))
        index, step, width = h & _MASK32, (h >> 32) | 1, self.width
        least = _MASK32
        for row in self._rows:
            value = row[index % width]
            if value < least:
                least = value
            index += step
        return least

    def reaches(self, key: str, threshold: float) -> bool:
        """count_key(key) >= threshold, read off the rows up to the first below it: for most
        lines of a corpus, the first. The boilerplate stage asks this for every new line."""
        h = xxhash.xxh64_intdigest(key.encode("utf-8"))
        index, step, width = h & _MASK32, (h >> 32) | 1, self.width
        for row in self._rows:
            if row[index % width] < threshold:
                return False
            index += step
        return True

    def threshold(self, min_docs: int = 5, min_fraction: float = 0.02) -> float:
        return max(min_docs, min_fraction * self.documents)

    def is_frequent(self, line: str, min_docs: int = 5, min_fraction: float = 0.02) -> bool:
        return self.count(line) >= self.threshold(min_docs, min_fraction)

    def is_frequent_key(self, key: str, min_docs: int = 5, min_fraction: float = 0.02) -> bool:
        return self.reaches(key, self.threshold(min_docs, min_fraction))

    def merge(self, other: "LineStats") -> "LineStats":
        if (other.width, other.depth) != (self.width, self.depth):
            raise ValueError("only sketches of the same width and depth merge")
        for mine, theirs in zip(self._rows, other._rows):
            for i, value in enumerate(theirs):
                if value:
                    mine[i] = min(_MASK32, mine[i] + value)
        self.documents += other.documents
        return self

    @property
    def nbytes(self) -> int:
        return sum(row.itemsize * len(row) for row in self._rows)

    def save(self, path: str | Path) -> None:
        """Header line (JSON) then the rows in native byte order."""
        header = json.dumps({"width": self.width, "depth": self.depth, "documents": self.documents})
        with open(path, "wb") as out:
            out.write(header.encode("utf-8") + b"\n")
            for row in self._rows:
                row.tofile(out)

    @classmethod
    def load(cls, path: str | Path) -> "LineStats":
        with open(path, "rb") as src:
            header = json.loads(src.readline())
            stats = cls(header["width"], header["depth"])
            stats.documents = header["documents"]
            stats._rows = []
            for _ in range(stats.depth):
                row = array("I")
                row.frombytes(src.read(4 * stats.width))
                stats._rows.append(row)
        return stats
