"""Rule packs: named line patterns per language, kept as data in `rules/<language>.json`."""
from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

try:  # the `re` module's own pattern parser (Python >= 3.11; sre_parse before)
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

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

    Anchored patterns are tried together, at the start of the key only, and only those that
    can start with the key's first character; the few unanchored ones only on keys holding
    one of their required literals. Scanning every position of every line with every
    pattern, or trying a hundred alternatives on each key, is what would make this slow."""

    def __init__(self, languages: Iterable[str] | None = None):
        names = list(languages) if languages is not None else available_languages()
        self.rules: tuple[Rule, ...] = tuple(r for lang in names for r in load_pack(lang))
        self.max_len = max((r.max_len for r in self.rules), default=0)
        self._anchored = [r for r in self.rules if r.anchored]
        self._unanchored = [r for r in self.rules if not r.anchored]
        for rule in self._unanchored:
            if not rule.requires:
                raise ValueError(f"{rule.language}/{rule.name}: an unanchored pattern must list `requires`")
        # per length bound and first character, one alternation of the anchored rules that
        # allow keys that long and can start with it, a named group per rule: one call finds
        # the first matching rule. Built when first needed; characters no rule names as a
        # first character share one alternation per class (digits, spaces, others) with the
        # rules that may start with anything.
        self._bounds = sorted({r.max_len for r in self._anchored})
        self._bucket = [bisect.bisect_left(self._bounds, size) for size in range(self.max_len + 1)]
        initials = [first_chars(r.pattern) for r in self._anchored]
        self._named_initials = frozenset().union(*(i for i in initials if i is not None)) - {DIGIT, SPACE}
        self._bucket_rules = [
            [(f"(?P<r{n}>{rule.pattern.pattern})", first) for n, (rule, first) in enumerate(zip(self._anchored, initials)) if rule.max_len >= bound]
            for bound in self._bounds
        ]
        # shared by every RuleSet of these packs in the process, as compiled patterns are
        self._first_anchored = _ALTERNATIONS.setdefault(tuple(names), [{} for _ in self._bounds])
        self._unanchored_max_len = max((r.max_len for r in self._unanchored), default=-1)
        self._literals = sorted({literal for rule in self._unanchored for literal in rule.requires}, key=len, reverse=True)
        # (ASCII literals are found by `in`: a search for them would stop at every `a` and `i`)
        self._ascii_literals = [literal for literal in self._literals if literal.isascii()]
        wide = [literal for literal in self._literals if not literal.isascii()]
        self._wide_literal = re.compile("|".join(map(re.escape, wide))) if wide else None

    def _alternation(self, bucket: int, initial: str) -> re.Pattern[str] | None:
        """The rules of `bucket` that can start with `initial`: a character, DIGIT or SPACE
        (an unnamed digit or space), or "" (any other character no rule names)."""
        classes = {initial}
        if len(initial) == 1:
            classes |= {DIGIT} if initial.isdecimal() else {SPACE} if initial.isspace() else set()
        parts = [part for part, first in self._bucket_rules[bucket] if first is None or not classes.isdisjoint(first)]
        return _compile("|".join(parts)) if parts else None

    def match(self, key: str) -> Rule | None:
        return self.match_all([key])[0]

    def match_all(self, keys: list[str]) -> list[Rule | None]:
        """`match` of each key; the literals unanchored rules require are looked for in all
        the keys at once (a key holding some literal holds the first one a search finds in
        it), then in each key only those found."""
        text = "\n".join(key for key in keys if len(key) <= self._unanchored_max_len)
        present = [literal for literal in self._ascii_literals if literal in text]
        if self._wide_literal is not None and not text.isascii():
            present += set(self._wide_literal.findall(text))
        bucket_of, buckets, named, by_bucket = self._bucket, len(self._bounds), self._named_initials, self._first_anchored
        found: list[Rule | None] = []
        longest, longest_unanchored = self.max_len, self._unanchored_max_len
        for key in keys:
            size = len(key)
            if size > longest:
                found.append(None)
                continue
            bucket = bucket_of[size]
            if bucket < buckets and key:
                initial = key[0]
                if initial not in named:
                    initial = DIGIT if initial.isdecimal() else SPACE if initial.isspace() else ""
                alternations = by_bucket[bucket]
                alternation = alternations.get(initial, False)
                if alternation is False:
                    alternation = alternations[initial] = self._alternation(bucket, initial)
                hit = alternation.match(key) if alternation is not None else None
                if hit:
                    found.append(self._anchored[int(hit.lastgroup[1:])])
                    continue
            if present and size <= longest_unanchored and any(map(key.__contains__, present)):
                found.append(next((r for r in self._unanchored if size <= r.max_len and r.pattern.search(key)), None))
            else:
                found.append(None)
        return found


# pack names -> per length bucket, first character -> alternation (RuleSet._first_anchored)
_ALTERNATIONS: dict[tuple[str, ...], list[dict[str, re.Pattern[str] | None]]] = {}


@lru_cache(maxsize=None)
def _compile(pattern: str) -> re.Pattern[str]:
    """re.compile for the process: the alternations (a few hundred) outnumber re's own cache,
    and every new stage (a worker, a benchmark run) would compile them again."""
    return re.compile(pattern)


@lru_cache(maxsize=None)
def first_chars(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The characters a match of `pattern` can start with (DIGIT and SPACE standing for
    their classes), or None when it may start with any (or the pattern is too intricate to
    tell: then the rule is always tried)."""
    if pattern.flags & re.IGNORECASE:
        return None
    chars, may_be_empty = _sequence_initials(_sre_parse.parse(pattern.pattern))
    return None if chars is None or may_be_empty else frozenset(chars)


def _sequence_initials(items) -> tuple[set[str] | None, bool]:
    """(first characters, can the sequence match the empty string) of parsed items."""
    chars: set[str] = set()
    for op, arg in items:
        if op is _sre.AT:  # ^, $, \b: zero width
            continue
        first, may_be_empty = _item_initials(op, arg)
        if first is None:
            return None, True
        chars |= first
        if not may_be_empty:
            return chars, False
    return chars, True


# \d and \s among first characters: any decimal digit, any whitespace (str.isdecimal and
# str.isspace: re's own tests for them in str patterns)
DIGIT, SPACE = "\\d", "\\s"
_CATEGORIES = {_sre.CATEGORY_DIGIT: DIGIT, _sre.CATEGORY_SPACE: SPACE}


def _item_initials(op, arg) -> tuple[set[str] | None, bool]:
    if op is _sre.LITERAL:
        return {chr(arg)}, False
    if op is _sre.IN:
        chars = set()
        for kind, value in arg:
            if kind is _sre.LITERAL:
                chars.add(chr(value))
            elif kind is _sre.RANGE and value[1] - value[0] < 256:
                chars.update(map(chr, range(value[0], value[1] + 1)))
            elif kind is _sre.CATEGORY and value in _CATEGORIES:
                chars.add(_CATEGORIES[value])
            else:  # negated sets, other categories, wide ranges
                return None, True
        return chars, False
    if op is _sre.SUBPATTERN:
        _group, add_flags, _del_flags, items = arg
        return (None, True) if add_flags & re.IGNORECASE else _sequence_initials(items)
    if op is _sre.BRANCH:
        chars, may_be_empty = set(), False
        for items in arg[1]:
            first, empty = _sequence_initials(items)
            if first is None:
                return None, True
            chars |= first
            may_be_empty |= empty
        return chars, may_be_empty
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        low, _high, items = arg
        first, empty = _sequence_initials(items)
        return (None, True) if first is None else (first, empty or low == 0)
    return None, True  # ., groups referenced back, lookarounds ...
