"""Rule packs: named line patterns per language, kept as data in `rules/<language>.json`."""
from __future__ import annotations

import bisect
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
    requires: tuple[str, ...] = ()  # literals an unanchored pattern needs, one at least

    @property
    def anchored(self) -> bool:
        return self.pattern.pattern.startswith("^")


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
            requires=tuple(r.get("requires", ())),
        )
        for r in data["rules"]
    )


class RuleSet:
    """The rules of several packs, matched against match keys (see `lines.match_key`).

    Anchored patterns are tried together, at the start of the key only; the few unanchored
    ones only on keys holding one of their required literals. Scanning every position of
    every line with every pattern is what would make this slow."""

    def __init__(self, languages: Iterable[str] | None = None):
        names = list(languages) if languages is not None else available_languages()
        self.rules: tuple[Rule, ...] = tuple(r for lang in names for r in load_pack(lang))
        self.max_len = max((r.max_len for r in self.rules), default=0)
        self._anchored = [r for r in self.rules if r.anchored]
        self._unanchored = [r for r in self.rules if not r.anchored]
        for rule in self._unanchored:
            if not rule.requires:
                raise ValueError(f"{rule.language}/{rule.name}: an unanchored pattern must list `requires`")
        # per length bound, one alternation of the anchored rules that allow keys that long,
        # a named group per rule: one call finds the first matching rule
        self._bounds = sorted({r.max_len for r in self._anchored})
        self._first_anchored = [self._alternation([r for r in self._anchored if r.max_len >= b]) for b in self._bounds]
        literals = sorted({lit for r in self._unanchored for lit in r.requires}, key=len, reverse=True)
        self._literal = re.compile("|".join(map(re.escape, literals))) if literals else None

    def _alternation(self, rules: list[Rule]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?P<r{self._anchored.index(r)}>{r.pattern.pattern})" for r in rules))

    def match(self, key: str) -> Rule | None:
        if len(key) > self.max_len:
            return None
        bucket = bisect.bisect_left(self._bounds, len(key))
        if bucket < len(self._bounds):
            found = self._first_anchored[bucket].match(key)
            if found:
                return self._anchored[int(found.lastgroup[1:])]
        if self._literal is not None and self._literal.search(key):
            for rule in self._unanchored:
                if len(key) <= rule.max_len and rule.pattern.search(key):
                    return rule
        return None
