"""The `repair` stage. No fixer is registered yet, so it changes nothing."""
from __future__ import annotations

from ..document import Document


class RepairStage:
    name = "repair"

    def __call__(self, doc: Document) -> Document:
        return doc
