"""Stages, the registry of stage names, and the Pipeline that chains them.

A stage is any object with a `name` and `__call__(doc) -> Document | None` (None drops the
document). Stages are looked up by name in `STAGES` and imported lazily, so a stage's
dependencies (OpenCC, pypinyin, ...) load only when that stage is used.
"""
from __future__ import annotations

import importlib
from typing import Any, Callable, Iterable, Iterator, Protocol, runtime_checkable

from .document import Document

# Registry: stage name -> "module:factory". A new stage is one module plus one line here.
STAGES: dict[str, str] = {
    "repair": "textfix.repair.stage:RepairStage",
    "boilerplate": "textfix.boilerplate.stage:BoilerplateStage",
    "dedup-in-doc": "textfix.dedup.in_document:InDocumentDedupStage",
    "dedup": "textfix.dedup.corpus:CorpusDedupStage",  # needs clusters=: built by a first pass
    "normalize": "textfix.script.normalize:NormalizeStage",
    "script": "textfix.script.stage:ScriptStage",
}

# What `textfix clean` runs, in order, unless told otherwise.
CLEAN_STAGES: tuple[str, ...] = ("repair", "boilerplate", "dedup-in-doc")


@runtime_checkable
class Stage(Protocol):
    name: str

    def __call__(self, doc: Document) -> Document | None: ...


def stage_factory(name: str) -> Callable[..., Stage]:
    try:
        target = STAGES[name]
    except KeyError:
        raise KeyError(f"unknown stage {name!r}; known: {', '.join(sorted(STAGES))}") from None
    module_name, _, attr = target.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def make_stage(name: str, **options: Any) -> Stage:
    return stage_factory(name)(**options)


class Pipeline:
    """An ordered list of stages, applied to one document at a time."""

    def __init__(self, stages: Iterable[Stage | str] = ()):
        self.stages: list[Stage] = [make_stage(s) if isinstance(s, str) else s for s in stages]

    @classmethod
    def from_names(cls, names: Iterable[str], options: dict[str, dict[str, Any]] | None = None) -> "Pipeline":
        options = options or {}
        return cls(make_stage(n, **options.get(n, {})) for n in names)

    def __call__(self, doc: Document) -> Document | None:
        for stage in self.stages:
            result = stage(doc)
            if result is None:
                return None
            doc = result
        return doc

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Stream documents through the stages; dropped documents are not yielded."""
        for doc in docs:
            out = self(doc)
            if out is not None:
                yield out

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __repr__(self) -> str:
        return f"Pipeline({self.names})"
