"""Engines run a Pipeline over a stream of documents.

The seam every engine shares is `run_batch(pipeline, docs)`: a list of documents in, one
outcome per document out, in order. The local engine calls it in-process or in a process
pool; a Ray Data engine (engines/ray.py) would call it inside `map_batches`, converting
the batch's columns to Documents and back.
"""
from .batch import Outcome, StageFailure, run_batch
from .local import LocalEngine

__all__ = ["LocalEngine", "Outcome", "StageFailure", "run_batch"]
