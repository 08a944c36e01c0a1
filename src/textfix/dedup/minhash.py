"""Shingles, MinHash signatures and LSH band keys, computed a batch of documents at a time.

A shingle is `ngram` consecutive tokens (exact.tokenize: CJK characters, other words)
inside one document, hashed with numpy over the whole batch; the signatures come from
rensa's R-MinHash over the flat buffer of shingle hashes, the fastest of rensa,
datasketch and datatrove on 2 KB Chinese documents (benchmarks/dedup_bench.py).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .exact import mix64

_U64 = np.uint64
_SHINGLE_BASE = _U64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class MinHashParams:
    """Shingle size, signature length and banding; threshold is the verified Jaccard.

    Defaults: 5-token shingles, 128 permutations split into 32 bands of 4 rows, whose
    S-curve P(candidate) = 1 - (1 - J^4)^32 is 0.56 at J=0.4, 0.99 at J=0.6, 0.9998 at
    J=0.7: recall is decided by the banding, precision by checking each candidate's
    estimated Jaccard against `threshold`.
    """

    ngram: int = 5
    num_perm: int = 128
    bands: int = 32
    rows: int = 4
    threshold: float = 0.7
    seed: int = 42

    def __post_init__(self) -> None:
        if self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands × rows ({self.bands}×{self.rows}) exceeds num_perm {self.num_perm}")
        if self.ngram < 1 or not 0.0 < self.threshold <= 1.0:
            raise ValueError("ngram must be ≥ 1 and threshold in (0, 1]")

    def candidate_probability(self, jaccard: float) -> float:
        """Probability that a pair with this Jaccard similarity shares at least one band."""
        return 1.0 - (1.0 - jaccard**self.rows) ** self.bands

    @property
    def s_curve_midpoint(self) -> float:
        """Jaccard where the S-curve is steepest, ≈ (1/b)^(1/r)."""
        return math.pow(1.0 / self.bands, 1.0 / self.rows)


def shingle_hashes(tokens: np.ndarray, token_doc: np.ndarray, n_docs: int, ngram: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every shingle of every document, flat, with row offsets (len = docs + 1).

    A document with fewer than `ngram` tokens gets one shingle of all its tokens; a
    document with no token gets none.
    """
    n_tokens = len(tokens)
    counts = np.bincount(token_doc, minlength=n_docs)
    doc_token_end = np.cumsum(counts)
    doc_token_start = doc_token_end - counts
    # Shingle at token t = tokens t..t+n-1; tokens of the next document count as 0.
    padded = np.concatenate([tokens, np.zeros(ngram - 1, dtype=_U64)])
    padded_doc = np.concatenate([token_doc, np.full(ngram - 1, -1)])
    shingles = tokens.copy()
    with np.errstate(over="ignore"):
        for k in range(1, ngram):
            same_doc = padded_doc[k : k + n_tokens] == token_doc
            shingles = shingles * _SHINGLE_BASE + np.where(same_doc, padded[k : k + n_tokens], _U64(0))
        shingles = mix64(shingles)
    index = np.arange(n_tokens)
    end = doc_token_end[token_doc]
    start = doc_token_start[token_doc]
    valid = (index + ngram <= end) | ((index == start) & (end - start < ngram))
    offsets = np.zeros(n_docs + 1, dtype=_U64)
    offsets[1:] = np.cumsum(np.bincount(token_doc[valid], minlength=n_docs))
    return np.ascontiguousarray(shingles[valid]), offsets


def signatures(tokens: np.ndarray, token_doc: np.ndarray, n_docs: int, params: MinHashParams) -> np.ndarray:
    """(docs × num_perm) uint32 R-MinHash signatures; a document with no token gets all 0xFFFFFFFF."""
    from rensa import RMinHash

    hashes, offsets = shingle_hashes(tokens, token_doc, n_docs, params.ngram)
    matrix = RMinHash.digest_matrix_from_flat_token_hashes(hashes, offsets, params.num_perm, params.seed)
    sig = np.array(matrix.to_rows(), dtype=np.uint32).reshape(n_docs, params.num_perm)
    sig[np.diff(offsets) == 0] = np.iinfo(np.uint32).max
    return sig


def band_keys(sig: np.ndarray, params: MinHashParams) -> np.ndarray:
    """(docs × bands) uint64 keys: equal key ⇔ (almost surely) equal band rows in that band.

    Keys are salted by band index, so one 64-bit key space holds all bands: the key alone
    is the shuffle key for grouping candidates (locally a sort, on a cluster a groupby).
    """
    used = sig[:, : params.bands * params.rows].reshape(len(sig), params.bands, params.rows)
    with np.errstate(over="ignore"):
        keys = np.broadcast_to(
            mix64(np.arange(1, params.bands + 1, dtype=_U64) * _SHINGLE_BASE), used.shape[:2]
        ).copy()
        for row in range(params.rows):
            keys = mix64(keys ^ used[:, :, row].astype(_U64))
    return keys


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Share of equal signature slots, row by row (a, b: k × num_perm)."""
    return (np.asarray(a) == np.asarray(b)).mean(axis=-1)
