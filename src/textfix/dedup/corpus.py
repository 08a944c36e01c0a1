"""Corpus-level deduplication: exact and near-duplicate documents, in bounded memory.

Two passes over the same documents in the same order:

1. `CorpusIndex.add` tokenises a batch at a time and emits (key, doc) records: one exact
   key per document, one band key per LSH band. Records spill to disk as sorted runs,
   signatures are appended to a file; memory holds one batch and one run buffer.
2. `CorpusIndex.resolve` merges the runs in key order; documents sharing a key are
   candidates, near candidates are kept when their estimated Jaccard reaches the
   threshold, and a union-find joins them into clusters whose root is the first member in
   input order. `CorpusDedupStage` then drops every document that is not a root.

Only the union-find and the per-document similarity stay in RAM (8 bytes a document).
The band key is the shuffle key: a distributed engine groups records by key instead of
sorting runs, and everything else stays the same.
"""
from __future__ import annotations

import os
import tempfile
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

import numpy as np

from ..document import Document
from .exact import exact_keys, tokenize
from .minhash import MinHashParams, band_keys, estimated_jaccard, signatures

if TYPE_CHECKING:
    from ..io import Task

RECORD = np.dtype([("key", "<u8"), ("doc", "<u4")])


class SortedRuns:
    """(key, doc) records, appended in document order, spilled to disk as sorted runs."""

    def __init__(self, directory: Path, max_records: int):
        self._directory = directory
        self._directory.mkdir(parents=True, exist_ok=True)
        self._max_records = max_records
        self._buffer: list[np.ndarray] = []
        self._buffered = 0
        self._runs: list[Path] = []

    def add(self, keys: np.ndarray, docs: np.ndarray) -> None:
        records = np.empty(len(keys), dtype=RECORD)
        records["key"] = keys
        records["doc"] = docs
        self._buffer.append(records)
        self._buffered += len(records)
        if self._buffered >= self._max_records:
            self._spill()

    def _spill(self) -> None:
        if not self._buffered:
            return
        records = np.concatenate(self._buffer)
        # Stable: within one key, documents stay in input order.
        records = records[np.argsort(records["key"], kind="stable")]
        path = self._directory / f"run-{len(self._runs):05d}.bin"
        records.tofile(path)
        self._runs.append(path)
        self._buffer, self._buffered = [], 0

    def merged(self) -> Iterator[np.ndarray]:
        """Chunks of records in key order; a key's records never straddle two chunks and
        are in document order. Memory: one block per run."""
        self._spill()
        # Plain reads, not mmap: mapped pages would count against the process's memory.
        sizes = [path.stat().st_size // RECORD.itemsize for path in self._runs]
        block = max(1024, self._max_records // max(1, len(sizes)))
        read = [0] * len(sizes)
        buffers = [np.empty(0, dtype=RECORD) for _ in sizes]

        def read_more(i: int) -> None:
            more = np.fromfile(self._runs[i], dtype=RECORD, count=block, offset=read[i] * RECORD.itemsize)
            buffers[i] = np.concatenate([buffers[i], more])
            read[i] += len(more)

        while True:
            for i, size in enumerate(sizes):
                if not len(buffers[i]) and read[i] < size:
                    read_more(i)
            unread = [i for i, size in enumerate(sizes) if read[i] < size]
            if not unread and not any(len(b) for b in buffers):
                return
            # Unread records all have keys >= cutoff, so every key below it is complete.
            cutoff = min((buffers[i]["key"][-1] for i in unread), default=None)
            take = [len(b) if cutoff is None else int(np.searchsorted(b["key"], cutoff)) for b in buffers]
            if not any(take):
                read_more(next(i for i in unread if buffers[i]["key"][-1] == cutoff))
                continue
            chunk = np.concatenate([b[:n] for b, n in zip(buffers, take)])
            buffers = [b[n:] for b, n in zip(buffers, take)]
            # Runs hold increasing document ranges, so a stable sort keeps document order.
            yield chunk[np.argsort(chunk["key"], kind="stable")]


def candidate_pairs(chunk: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first document of the key group, other member) for every group in a merged chunk."""
    keys = chunk["key"]
    first = np.r_[True, keys[1:] != keys[:-1]]
    group_start = np.maximum.accumulate(np.where(first, np.arange(len(keys)), 0))
    member = ~first
    return chunk["doc"][group_start[member]], chunk["doc"][member]


class UnionFind:
    """Disjoint sets over document indices; a set's root is its smallest (first) index."""

    def __init__(self, size: int):
        self.parent = array("i", range(size))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class Clusters:
    """Result of a first pass: per document, the first member of its cluster and the
    estimated Jaccard similarity to it (1.0 for the first member itself)."""

    root: np.ndarray
    similarity: np.ndarray

    def __len__(self) -> int:
        return len(self.root)

    def is_kept(self, doc: int) -> bool:
        return bool(self.root[doc] == doc)

    @property
    def removed(self) -> int:
        return int((self.root != np.arange(len(self.root))).sum())


class MembershipLog:
    """Rows for `--clusters`, fed each document's id in input order (during the second
    pass): one row per member of a cluster of two or more, None for a unique document.
    A row names the kept first member, so a user can audit every removal."""

    def __init__(self, clusters: Clusters):
        self.clusters = clusters
        self._has_members = np.bincount(clusters.root, minlength=len(clusters)) > 1
        self._root_ids: dict[int, str] = {}  # only roots of clusters: bounded by the clusters
        self._position = 0

    def __call__(self, doc_id: str) -> dict | None:
        doc = self._position
        self._position += 1
        root = int(self.clusters.root[doc])
        if root == doc:
            if not self._has_members[doc]:
                return None
            self._root_ids[doc] = doc_id
        return {
            "id": doc_id,
            "cluster": self._root_ids[root],
            "similarity": round(float(self.clusters.similarity[doc]), 4),
            "kept": root == doc,
        }


class SignatureFile:
    """Signatures appended in document order; rows read back with pread (no mmap: the
    pages of a mapped file would count against the process's memory)."""

    def __init__(self, path: Path, num_perm: int):
        self.path = path
        self.row_bytes = num_perm * 4
        self.num_perm = num_perm
        self._file = open(path, "w+b")

    def append(self, sig: np.ndarray) -> None:
        self._file.write(np.ascontiguousarray(sig, dtype=np.uint32).tobytes())

    def rows(self, docs: np.ndarray) -> np.ndarray:
        self._file.flush()
        fd = self._file.fileno()
        data = b"".join(os.pread(fd, self.row_bytes, int(doc) * self.row_bytes) for doc in docs.tolist())
        return np.frombuffer(data, dtype=np.uint32).reshape(len(docs), self.num_perm)

    def similarity(self, a: np.ndarray, b: np.ndarray, slice_rows: int = 4096) -> np.ndarray:
        """Estimated Jaccard of documents a[i] and b[i], reading a slice of rows at a time."""
        out = np.empty(len(a), dtype=np.float32)
        for start in range(0, len(a), slice_rows):
            end = start + slice_rows
            out[start:end] = estimated_jaccard(self.rows(a[start:end]), self.rows(b[start:end]))
        return out

    def close(self) -> None:
        self._file.close()


class CorpusIndex:
    """First pass of corpus dedup: add every document in input order, then `resolve`.

    `near=False` finds exact duplicates only (no signatures). Spill files live in a
    temporary directory under `work_dir` and are removed by `resolve`.
    """

    def __init__(
        self,
        params: MinHashParams = MinHashParams(),
        *,
        near: bool = True,
        work_dir: str | Path | None = None,
        batch_size: int = 1000,
        max_records: int = 2_000_000,
    ):
        self.params = params
        self.near = near
        self._tmp = tempfile.TemporaryDirectory(prefix="textfix-dedup-", dir=work_dir)
        directory = Path(self._tmp.name)
        self._exact = SortedRuns(directory / "exact", max_records)
        self._bands = SortedRuns(directory / "bands", max_records)
        self._signatures = SignatureFile(directory / "signatures.u32", params.num_perm)
        self._batch_size = batch_size
        self._pending: list[str] = []
        self.size = 0

    def add(self, text: str) -> None:
        self._pending.append(text)
        self.size += 1
        if len(self._pending) >= self._batch_size:
            self._flush()

    def add_all(self, texts: Iterable[str]) -> "CorpusIndex":
        for text in texts:
            self.add(text)
        return self

    def _flush(self) -> None:
        texts, self._pending = self._pending, []
        if not texts:
            return
        n = len(texts)
        docs = np.arange(self.size - n, self.size, dtype=np.uint32)
        tokens, token_doc = tokenize(texts)
        keys = exact_keys(tokens, token_doc, n)
        has_text = np.array([k is not None for k in keys])
        # Documents with no token (empty, only punctuation) are nobody's duplicate.
        self._exact.add(np.array([k for k in keys if k is not None], dtype=np.uint64), docs[has_text])
        if self.near:
            sig = signatures(tokens, token_doc, n, self.params)
            self._signatures.append(sig)
            bands = band_keys(sig[has_text], self.params)
            self._bands.add(bands.ravel(), np.repeat(docs[has_text], self.params.bands))

    def resolve(self) -> Clusters:
        """Merge the runs into clusters; removes the spill files."""
        self._flush()
        try:
            return self._resolve()
        finally:
            self._signatures.close()
            self._tmp.cleanup()

    def _resolve(self) -> Clusters:
        sets = UnionFind(self.size)
        for chunk in self._exact.merged():
            for a, b in zip(*(x.tolist() for x in candidate_pairs(chunk))):
                sets.union(a, b)
        if self.near:
            for chunk in self._bands.merged():
                self._join_similar(sets, *candidate_pairs(chunk))
        root = np.frombuffer(sets.parent, dtype=np.int32).copy()
        for doc in range(self.size):
            root[doc] = sets.find(doc)
        similarity = np.ones(self.size, dtype=np.float32)
        if self.near:
            members = np.flatnonzero(root != np.arange(self.size))
            similarity[members] = self._signatures.similarity(members, root[members])
        return Clusters(root=root, similarity=similarity)

    def _join_similar(self, sets: UnionFind, first: np.ndarray, other: np.ndarray) -> None:
        # A pair shares several bands: check it once, and not at all if already joined.
        pairs = np.unique(first.astype(np.uint64) << np.uint64(32) | other.astype(np.uint64))
        first, other = (pairs >> np.uint64(32)).astype(np.int64), (pairs & np.uint64(0xFFFFFFFF)).astype(np.int64)
        open_pairs = [i for i, (a, b) in enumerate(zip(first.tolist(), other.tolist())) if sets.find(a) != sets.find(b)]
        if not open_pairs:
            return
        first, other = first[open_pairs], other[open_pairs]
        similar = self._signatures.similarity(first, other) >= self.params.threshold
        for a, b in zip(first[similar].tolist(), other[similar].tolist()):
            sets.union(a, b)


def build_clusters(texts: Iterable[str], params: MinHashParams = MinHashParams(), **options) -> Clusters:
    """First pass over a corpus (texts in input order)."""
    return CorpusIndex(params, **options).add_all(texts).resolve()


class CorpusDedupStage:
    """Per-document stage of corpus dedup: keeps the first document of each cluster.

    Built over the `Clusters` of a first pass and fed the same documents in the same
    order; it counts documents rather than trusting ids, which may repeat or be empty.
    """

    name = "dedup"

    def __init__(self, clusters: Clusters):
        self.clusters = clusters
        self._position = 0

    def __call__(self, doc: Document) -> Document | None:
        position = self._position
        if position >= len(self.clusters):
            raise IndexError(f"dedup: document {position} was not in the first pass ({len(self.clusters)} documents)")
        self._position += 1
        return doc if self.clusters.is_kept(position) else None


def deduplicate(docs: list[Document], params: MinHashParams = MinHashParams(), **options) -> list[Document]:
    """Both passes over an in-memory list: the first document of each cluster, in order."""
    stage = CorpusDedupStage(build_clusters((d.text for d in docs), params, **options))
    return [d for d in docs if stage(d) is not None]


def index_inputs(
    tasks: list["Task"],
    params: MinHashParams = MinHashParams(),
    *,
    near: bool = True,
    text_field: str = "text",
    work_dir: str | Path | None = None,
) -> Clusters:
    """First pass of `textfix dedup`: every readable document of every input, in order.

    The second pass is the ordinary runner with `CorpusDedupStage` in one process (the
    stage counts documents, so it must see them in this order).
    """
    from ..io import read

    index = CorpusIndex(params, near=near, work_dir=work_dir)
    for task in tasks:
        for record in read(task.input, task.format, text_field):
            if record.doc is not None:
                index.add(record.doc.text)
    return index.resolve()
