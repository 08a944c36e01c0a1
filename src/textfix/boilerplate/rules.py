"""Rule packs: named line patterns per language, kept as data in `rules/<language>.json`."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

ANYWHERE = "anywhere"
EDGE = "edge"  # only at the page's head or tail, or inside a block of chrome


@dataclass(frozen=True)
class Rule:
    name: str
    language: str
    where: str
    max_len: int
    pattern: re.Pattern[str]
    examples: tuple[str, ...] = ()


def available_languages() -> list[str]:
    folder = resources.files(__package__).joinpath("rules")
    return sorted(p.name[: -len(".json")] for p in folder.iterdir() if p.name.endswith(".json"))


@lru_cache(maxsize=None)
def load_pack(language: str) -> tuple[Rule, ...]:
    data = json.loads(resources.files(__package__).joinpath("rules", f"{language}.json").read_text("utf-8"))
    return tuple(
        Rule(
            name=r["name"],
            language=language,
            where=r["where"],
            max_len=int(r["max_len"]),
            pattern=re.compile(r["pattern"]),
            examples=tuple(r.get("examples", ())),
        )
        for r in data["rules"]
    )


class RuleSet:
    """The rules of several packs, matched against match keys (see `lines.match_key`)."""

    def __init__(self, languages: Iterable[str] | None = None):
        names = list(languages) if languages is not None else available_languages()
        self.rules: tuple[Rule, ...] = tuple(r for lang in names for r in load_pack(lang))
        self.max_len = max((r.max_len for r in self.rules), default=0)
        # one alternation answers "does any rule match?" for most lines in a single scan
        self._any = re.compile("|".join(f"(?:{r.pattern.pattern})" for r in self.rules)) if self.rules else None

    def match(self, key: str) -> Rule | None:
        if self._any is None or len(key) > self.max_len or not self._any.search(key):
            return None
        for rule in self.rules:
            if len(key) <= rule.max_len and rule.pattern.search(key):
                return rule
        return None
