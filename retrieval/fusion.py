"""Reciprocal-rank fusion of the retrieval channels, scaled to 0-1."""

from __future__ import annotations

import numpy as np


def top_rows(scores: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[int]:
    """Rows of the k best positive scores, best first."""
    s = scores if mask is None else np.where(mask, scores, 0.0)
    k = min(k, int((s > 0).sum()))
    if k <= 0:
        return []
    idx = np.argpartition(-s, k - 1)[:k]
    return [int(i) for i in idx[np.argsort(-s[idx], kind="stable")]]


def rrf(rankings: list[list[int]], k: int = 60, weights: list[float] | None = None) -> dict[int, float]:
    """Fused score per row, divided by the best possible so that 1.0 means first in every channel."""
    weights = weights or [1.0] * len(rankings)
    best = sum(w / (k + 1) for w, r in zip(weights, rankings, strict=True)) or 1.0
    fused: dict[int, float] = {}
    for w, ranking in zip(weights, rankings, strict=True):
        for rank, row in enumerate(ranking):
            fused[row] = fused.get(row, 0.0) + w / (k + rank + 1)
    return {row: s / best for row, s in fused.items()}
