"""A compact character bigram model (Chinese simplified/traditional, Japanese, Korean) for scoring
repair candidates, and a skip-bigram table for guessing lost characters. Built by
scripts/build_charmodel.py; loaded once per process."""
from __future__ import annotations

import gzip
import math
import re
from functools import lru_cache
from typing import Iterable
from importlib import resources

# Absolute discount of interpolated bigram estimates (Ney et al.): what a seen pair gives up
# goes to the unigram back-off, in proportion to how many different followers a char has.
DISCOUNT = 0.75
# Log-probability floor for a character the model never saw.
UNSEEN_LOGP = -16.0
ASCII_LOGP = -7.0
# What counts as rare: seen fewer times than this in the model's sources, in these blocks.
RARE_COUNT = 500
RARE_BLOCKS = ((0x80, 0x24F), (0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF),
               (0xE000, 0xF8FF), (0xF900, 0xFAFF))
# Line-boundary symbols (must match scripts/build_charmodel.py).
BOL, EOL = "\x02", "\x03"


class CharModel:
    def __init__(self, unigrams: dict[str, int], bigrams: dict[str, int], total: int):
        self._uni = unigrams
        self._bi = bigrams
        self._log_total = math.log(total)
        self._uni_logp: dict[str, float] = {c: math.log(n) - self._log_total for c, n in unigrams.items()}
        followers: dict[str, int] = {}
        for pair in bigrams:
            followers[pair[0]] = followers.get(pair[0], 0) + 1
        self._backoff = {c: DISCOUNT * followers.get(c, 0) / n for c, n in unigrams.items()}

    def rare_class(self) -> str:
        """A regex character class of the CJK, kana, Hangul, private-use and Latin-1/Latin
        Extended characters this model has seen fewer than RARE_COUNT times. Written as explicit
        ranges so the stdlib `re` compiles it to a bitmap: the gate then scans at regex speed."""
        ranges: list[list[int]] = []
        for low, high in RARE_BLOCKS:
            for cp in range(low, high + 1):
                if self._uni.get(chr(cp), 0) < RARE_COUNT:
                    if ranges and cp == ranges[-1][1] + 1:
                        ranges[-1][1] = cp
                    else:
                        ranges.append([cp, cp])
        body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
        return f"[{body}]"

    def characters(self) -> Iterable[str]:
        return self._uni.keys()

    def count(self, ch: str) -> int:
        return self._uni.get(ch, 0)

    def unigram_logp(self, ch: str) -> float:
        lp = self._uni_logp.get(ch)
        if lp is not None:
            return lp
        # ASCII is under-represented in CJK sources; never let it look like garbage.
        return ASCII_LOGP if ch < "\x80" else UNSEEN_LOGP

    def logp(self, prev: str, ch: str) -> float:
        """log P(ch | prev), interpolating bigram and unigram estimates."""
        uni_logp = self.unigram_logp(ch)
        n_prev = self._uni.get(prev) if prev else None
        if not n_prev:
            return uni_logp
        # a char seen with few distinct followers keeps a small back-off mass, never zero
        backoff = max(self._backoff.get(prev, 0.0), 1e-3) * math.exp(uni_logp)
        n_pair = self._bi.get(prev + ch)
        if n_pair:
            return math.log(max(n_pair - DISCOUNT, 0.0) / n_prev + backoff)
        return math.log(backoff)

    def follower_logps(self, prev: str, chars: list[str], uni_logps: list[float]) -> list[float]:
        """logp(prev, c) for many characters c at once (`uni_logps`: their unigram_logp), the
        same values as `logp`; a search's inner loop."""
        n_prev = self._uni.get(prev) if prev else None
        if not n_prev:
            return uni_logps
        weight = max(self._backoff.get(prev, 0.0), 1e-3)
        log_weight = math.log(weight)
        pairs = self._bi
        out = []
        for ch, uni in zip(chars, uni_logps):
            n_pair = pairs.get(prev + ch)
            if n_pair:
                out.append(math.log(max(n_pair - DISCOUNT, 0.0) / n_prev + weight * math.exp(uni)))
            else:
                out.append(log_weight + uni)
        return out

    def around_logps(self, before: str, chars: list[str], after: str, uni_logps: list[float]) -> list[float]:
        """logp(before, c) + logp(c, after) for many characters c (`uni_logps`: their
        unigram_logp), the same values as `logp` gives: the fit of a lost character between
        its neighbours, for thousands of candidates."""
        firsts = self.follower_logps(before, chars, uni_logps)
        if not after:
            return firsts
        after_uni = self.unigram_logp(after)
        after_p = math.exp(after_uni)
        unigrams, pairs, backoffs = self._uni, self._bi, self._backoff
        out = []
        for ch, first in zip(chars, firsts):
            n_ch = unigrams.get(ch)
            if not n_ch:
                out.append(first + after_uni)
                continue
            backoff = max(backoffs.get(ch, 0.0), 1e-3) * after_p
            n_pair = pairs.get(ch + after)
            out.append(first + math.log(max(n_pair - DISCOUNT, 0.0) / n_ch + backoff if n_pair else backoff))
        return out

    def score(self, text: str, prev: str = "") -> float:
        """Total log-probability of `text` following the character `prev`."""
        total = 0.0
        for ch in text:
            total += self.logp(prev, ch)
            prev = ch
        return total


# Share of a character's skip mass kept for pairs never seen (a floor, not a model of them).
SKIP_FLOOR = 0.1
# Weight of the characters two places away against the neighbours' bigrams, when a lost
# character is chosen: on held-out paragraphs it lifts the right guess from 45% to 54% (man
# pages), 33% to 39% (news). Only characters within SKIP_REACH nats of the best fit without
# them are weighed (they move a fit by a few nats).
SKIP_WEIGHT = 0.5
SKIP_REACH = 12.0


class SkipModel:
    """Characters two apart in running text: how much more (or less) likely `c` is two places
    after `a` than anywhere. Context a bigram cannot see (记?按 -> 记录按), for guessing a lost
    character from both sides."""

    def __init__(self, unigrams: dict[str, int], pairs: dict[str, int], total: int):
        self._uni = unigrams
        self._pairs = pairs
        self._total = total

    def association(self, a: str, c: str) -> float:
        """log P(c two after a) / P(c); 0 when `a` was never seen."""
        n = self._uni.get(a)
        if not n:
            return 0.0
        p_c = (self._uni.get(c, 0) + 1) / self._total
        return math.log((self._pairs.get(a + c, 0) + SKIP_FLOOR * p_c * n) / ((1 + SKIP_FLOOR) * n * p_c))


def _read_counts(name: str) -> tuple[dict[str, int], dict[str, int], int]:
    data = resources.files("textfix.repair").joinpath(f"data/{name}")
    unigrams: dict[str, int] = {}
    pairs: dict[str, int] = {}
    total = 1
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for line in fh:
            key, _, count = line.rstrip("\n").rpartition("\t")
            if key == "#total":
                total = int(count)
            elif len(key) == 1:
                unigrams[key] = int(count)
            else:
                pairs[key] = int(count)
    return unigrams, pairs, total


@lru_cache(maxsize=1)
def load_model() -> CharModel:
    return CharModel(*_read_counts("charmodel.tsv.gz"))


@lru_cache(maxsize=1)
def load_skip_model() -> SkipModel:
    """Loaded on first use: only lost-character guesses need it."""
    return SkipModel(*_read_counts("skipmodel.tsv.gz"))
