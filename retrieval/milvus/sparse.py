"""Our BM25 as Milvus sparse vectors: a passage's vector holds each term's saturated frequency, a question's holds
each term's idf, so Milvus's inner product is Lucene's BM25 exactly as the local backend computes it.

    passage weight   tf / (tf + k1 * (1 - b + b * len / avg_len))      (float32, as the local scorer)
    question weight  count in the question * ln(1 + (N - df + 0.5) / (df + 0.5))

N, df and avg_len are global statistics over the live passages, kept by the writer (commits, terms). A passage's
weights depend on avg_len: they are written with the final average of the commit that adds them, and rewritten
when the library's average has moved more than 1% since (upkeep.REWEIGH) and by `speechbot index optimize`. So a
library ingested in one run, or optimized, scores exactly as one local index built at once; otherwise a passage's
term scores may be up to about 0.5% off.

Sparse dimensions are 32-bit: a term's 64-bit key (retrieval.local.postings.term_key) maps to one. One or two
CJK characters (every bigram, many words) map exactly; other terms are hashed into the remaining range (about 3.5
billion values: two of 300,000 distinct hashed words share a dimension with a few dozen pairs expected).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from retrieval.local.postings import CJK_FIRST, CJK_LAST, NUMERIC, SINGLE, Encoded, term_keys

K1, B = 1.2, 0.75
EMPTY = 0  # the dimension of a passage with no term at all (Milvus refuses empty vectors); never queried
_SPAN = CJK_LAST - CJK_FIRST + 1
_PAIRS = _SPAN * _SPAN
_EXACT_END = 1 + _PAIRS + _SPAN
_HASHED = (1 << 32) - _EXACT_END
CHANNEL_IDS = {"words": 0, "bigrams": 1}


def dims(keys: np.ndarray) -> np.ndarray:
    """The sparse dimension (uint32, never EMPTY) of each 64-bit term key."""
    keys = np.asarray(keys, dtype=np.uint64)
    exact = (keys & NUMERIC) != 0
    code = keys & ~NUMERIC
    single = exact & ((code & SINGLE) != 0)
    first = (code >> np.uint64(21)) & np.uint64(0x1FFFFF)
    second = code & np.uint64(0x1FFFFF)
    lo = np.uint64(CJK_FIRST)
    out = np.uint64(_EXACT_END) + keys % np.uint64(_HASHED)
    pair = exact & ~single
    out[pair] = np.uint64(1) + (first[pair] - lo) * np.uint64(_SPAN) + (second[pair] - lo)
    out[single] = np.uint64(1 + _PAIRS) + ((code[single] & ~SINGLE) - lo)
    return out.astype(np.uint32)


def token_dims(tokens: Sequence[str]) -> np.ndarray:
    return dims(term_keys(list(tokens)))


def weights(tfs: np.ndarray, lengths: np.ndarray, avg_len: float) -> np.ndarray:
    """BM25's saturated term frequency of each posting (lengths: its row's length), in float32 as the local scorer
    computes it."""
    lengths = np.asarray(lengths, dtype=np.float32)
    norm = (K1 * (1 - B + B * lengths / np.float32(avg_len))).astype(np.float32)
    tf = np.asarray(tfs, dtype=np.float32)
    return tf / (norm + tf)


def passage_vectors(enc: Encoded, avg_len: float) -> list[dict[int, float]]:
    """One sparse vector per row of a document's encoded channel."""
    w = weights(enc.tfs, enc.lengths[enc.rows], avg_len)
    d = dims(enc.keys)
    out: list[dict[int, float]] = [{} for _ in range(enc.n_rows)]
    for r, k, v in zip(enc.rows.tolist(), d.tolist(), w.tolist(), strict=True):
        out[r][k] = out[r].get(k, 0.0) + v  # two hashed terms sharing a dimension add up
    return [v or {EMPTY: 1.0} for v in out]


def term_frequencies(vector: dict[int, float], length: int, avg_len: float) -> dict[int, int]:
    """Invert `weights` for a stored vector: its terms' frequencies (to rewrite it for another average length)."""
    norm = K1 * (1 - B + B * length / avg_len)
    return {k: max(1, round(w * norm / (1 - w))) for k, w in vector.items() if k != EMPTY and w < 1}


def reweigh(vector: dict[int, float], length: int, old_avg: float, new_avg: float) -> dict[int, float]:
    tf = term_frequencies(vector, length, old_avg)
    if not tf:
        return {EMPTY: 1.0}
    w = weights(np.fromiter(tf.values(), np.float32), np.full(len(tf), length), new_avg)
    return dict(zip(tf, w.tolist(), strict=True))


def idf(n_docs: int, df: int) -> float:
    return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
