"""textfix: clean and repair multilingual web text for corpus builders.

The public API is the functions below; each builds the same stages the CLI runs.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from .document import Change, Document, Edit
from .pipeline import CLEAN_STAGES, STAGES, Pipeline, Stage, make_stage

# Imported eagerly: the subpackage `textfix.decode` would otherwise shadow this function
# as an attribute of the package once anything imports it.
from .decode import Decoded, decode
from . import repair as _repair_package  # noqa: F401  (same reason: `def repair` below must win)

__version__ = "0.1.0"

__all__ = [
    "Change",
    "Document",
    "Edit",
    "Pipeline",
    "Stage",
    "STAGES",
    "make_stage",
    "Decoded",
    "CLEAN_STAGES",
    "decode",
    "repair",
    "clean",
    "explain",
    "convert",
    "detect_script",
]


@lru_cache(maxsize=None)
def _pipeline(names: tuple[str, ...]) -> Pipeline:
    return Pipeline.from_names(names)


def _run(text: str, names: Iterable[str]) -> Document:
    doc = Document(text)
    out = _pipeline(tuple(names))(doc)
    return out if out is not None else Document("", changes=doc.changes)


def repair(text: str) -> str:
    """Undo mojibake, lost bytes and converter damage; clean text comes back unchanged."""
    return _run(text, ("repair",)).text


def clean(text: str) -> str:
    """Repair, then strip web boilerplate and repeated content inside the document."""
    return _run(text, CLEAN_STAGES).text


def explain(text: str, stages: Iterable[str] = ("repair",)) -> list[Change]:
    """Every change the given stages (default: repair) would make to `text`, then the spans
    they left as they are but found suspicious (before == after, reason `suspicious: ...`)."""
    doc = _run(text, stages)
    return doc.changes + doc.metadata.get("suspicious", [])


def convert(text: str, config: str) -> str:
    """Convert between Chinese script variants with an OpenCC config name (e.g. 's2twp')."""
    from .script.convert import convert as _convert

    return _convert(text, config)


def detect_script(text: str) -> str:
    """'zh-Hans', 'zh-Hant', 'ja', 'mixed' or 'und'."""
    from .script.detect import detect_script as _detect

    return _detect(text)
