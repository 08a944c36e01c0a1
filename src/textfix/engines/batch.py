"""One batch through a pipeline: the unit of work every engine schedules."""
from __future__ import annotations

from typing import NamedTuple, Union

from ..document import Document
from ..pipeline import Pipeline


class StageFailure(NamedTuple):
    """A stage raised on this document; the document is written back unchanged."""

    message: str


Outcome = Union[Document, StageFailure, None]  # None: a stage dropped the document


def run_batch(pipeline: Pipeline, docs: list[Document]) -> list[Outcome]:
    """Stage by stage over the batch (each stage sees the documents in order), so a stage
    with `run_many(docs) -> docs` converts the batch at once (the script stage: few OpenCC
    calls); if it raises, its documents go one by one to find the bad one."""
    outcomes: list[Outcome] = list(docs)
    for stage in pipeline.stages:
        live = [i for i, outcome in enumerate(outcomes) if isinstance(outcome, Document)]
        run_many = getattr(stage, "run_many", None)
        if run_many is not None and live:
            try:
                for i, result in zip(live, run_many([outcomes[i] for i in live])):
                    outcomes[i] = result
                continue
            except Exception:
                pass
        for i in live:
            try:
                outcomes[i] = stage(outcomes[i])
            except Exception as err:  # one bad document must not stop the corpus
                outcomes[i] = StageFailure(f"{type(err).__name__}: {err}")
    return outcomes
