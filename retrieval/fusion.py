"""Reciprocal-rank fusion of the retrieval channels, scaled to 0-1."""

from __future__ import annotations

import numpy as np


def top_rows(scores: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[int]:
    """Rows of the k best positive scores, best first; equal scores in row order (document order), which any
    backend can reproduce (argpartition's own order among ties is an accident of its algorithm)."""
    s = scores if mask is None else np.where(mask, scores, 0.0)
    k = min(k, int((s > 0).sum()))
    if k <= 0:
        return []
    kth = -np.partition(-s, k - 1)[k - 1]
    rows = np.flatnonzero(s >= kth)  # every row tied with the k-th makes the cut in row order
    return [int(i) for i in rows[np.lexsort((rows, -s[rows]))][:k]]


def rrf(rankings: list[list[int]], k: int = 60, weights: list[float] | None = None) -> dict[int, float]:
    """Fused score per row, divided by the best possible so that 1.0 means first in every channel."""
    weights = weights or [1.0] * len(rankings)
    best = sum(w / (k + 1) for w, r in zip(weights, rankings, strict=True)) or 1.0
    fused: dict[int, float] = {}
    for w, ranking in zip(weights, rankings, strict=True):
        for rank, row in enumerate(ranking):
            fused[row] = fused.get(row, 0.0) + w / (k + rank + 1)
    return {row: s / best for row, s in fused.items()}
