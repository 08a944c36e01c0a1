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
    outcomes: list[Outcome] = []
    for doc in docs:
        try:
            outcomes.append(pipeline(doc))
        except Exception as err:  # one bad document must not stop the corpus
            outcomes.append(StageFailure(f"{type(err).__name__}: {err}"))
    return outcomes
