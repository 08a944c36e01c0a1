"""The local engine: in this process, or a process pool with ordered output.

With jobs > 1, documents go to workers in batches; at most `2 * jobs` batches are in
flight and results are yielded in input order, so memory stays bounded whatever the
corpus size and the output order never depends on scheduling.
"""
from __future__ import annotations

import itertools
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Iterable, Iterator

from ..document import Document
from ..pipeline import Pipeline
from .batch import Outcome, run_batch

_BATCH_DOCS = 256
_BATCH_BYTES = 1 << 20  # characters, as a cheap proxy for bytes

_worker_pipeline: Pipeline | None = None


def _init_worker(pipeline: Pipeline) -> None:
    global _worker_pipeline
    _worker_pipeline = pipeline


def _run_in_worker(docs: list[Document]) -> list[Outcome]:
    assert _worker_pipeline is not None
    return run_batch(_worker_pipeline, docs)


def batches(docs: Iterable[Document], max_docs: int = _BATCH_DOCS, max_chars: int = _BATCH_BYTES) -> Iterator[list[Document]]:
    batch: list[Document] = []
    size = 0
    for doc in docs:
        batch.append(doc)
        size += len(doc.text)
        if len(batch) >= max_docs or size >= max_chars:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


class LocalEngine:
    def __init__(self, jobs: int | None = None):
        self.jobs = max(1, jobs or os.cpu_count() or 1)

    def map(self, pipeline: Pipeline, docs: Iterable[Document]) -> Iterator[Outcome]:
        """One outcome per document, in input order."""
        chunks = batches(docs)
        first_two = list(itertools.islice(chunks, 2))
        if self.jobs == 1 or len(first_two) < 2:  # one batch: a pool would only cost time
            for batch in itertools.chain(first_two, chunks):
                yield from run_batch(pipeline, batch)
            return
        yield from self._pooled(pipeline, itertools.chain(first_two, chunks))

    def _pooled(self, pipeline: Pipeline, chunks: Iterator[list[Document]]) -> Iterator[Outcome]:
        pool = ProcessPoolExecutor(self.jobs, initializer=_init_worker, initargs=(pipeline,))
        in_flight: deque[Future[list[Outcome]]] = deque()
        try:
            for batch in chunks:
                in_flight.append(pool.submit(_run_in_worker, batch))
                if len(in_flight) >= 2 * self.jobs:
                    yield from in_flight.popleft().result()
            while in_flight:
                yield from in_flight.popleft().result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
