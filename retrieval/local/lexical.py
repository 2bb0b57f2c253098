"""BM25 over one lexical channel of every segment of a commit, with global statistics.

Scores are Lucene's BM25 (k1=1.2, b=0.75, idf = ln(1 + (N - df + 0.5) / (df + 0.5)), no (k1 + 1) factor), the
formula bm25s's "lucene" method uses. N, df and the average length count live rows only, summed over segments, so
a passage scores exactly what it would in one index built at once from the same passages: deleted rows
(tombstones) weigh nothing even before a merge drops them. Term scores are computed at query time from the
postings (a few million multiply-adds at a million passages), never precomputed, so a commit never rewrites them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from retrieval.fusion import top_rows
from retrieval.local.postings import Postings, term_keys

K1, B = 1.2, 0.75


@dataclass
class Part:
    """One segment's channel with its deleted rows (None: none deleted)."""

    postings: Postings
    deleted: np.ndarray | None = None  # bool per row

    def live_count(self, rows: np.ndarray) -> int:
        return len(rows) if self.deleted is None else len(rows) - int(self.deleted[rows].sum())


@dataclass
class ChannelHit:
    part: int
    row: int
    score: float  # raw BM25


class LexicalChannel:
    """One channel across segments: document frequencies, idf, and BM25 scores of the live rows."""

    def __init__(self, parts: Sequence[Part], k1: float = K1, b: float = B):
        self.parts = list(parts)
        self.k1, self.b = k1, b
        self.n_docs = sum(p.postings.n_rows - (int(p.deleted.sum()) if p.deleted is not None else 0)
                          for p in self.parts)
        total = sum(int(np.asarray(p.postings.lengths, dtype=np.int64)[_live(p)].sum()) for p in self.parts)
        self.avg_len = total / self.n_docs if self.n_docs else 1.0
        self._df: dict[str, int] = {}
        self._norms: list[np.ndarray | None] = [None] * len(self.parts)

    def df(self, token: str) -> int:
        """Live passages holding the token (cached: the term weights of every question ask for them)."""
        if token not in self._df:
            if len(self._df) > 100_000:
                self._df.clear()
            self._df[token] = self._count(term_keys([token])[0])
        return self._df[token]

    def idf(self, token: str) -> float:
        """Lucene-style idf of a token (an unseen one, df 0, gets the highest)."""
        df = self.df(token)
        return math.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))

    def reference(self, query: Sequence[str]) -> float:
        """The score of a passage holding each query term once at average length: maps BM25 to 0-1."""
        return sum(self.idf(t) for t in set(query) if self.df(t)) or 1.0

    def scores(self, query: Sequence[str]) -> list[np.ndarray]:
        """BM25 of every row of every part (float32; deleted rows 0). A repeated query token counts again."""
        counts: dict[str, int] = {}
        for t in query:
            if self.df(t):
                counts[t] = counts.get(t, 0) + 1
        out = [np.zeros(p.postings.n_rows, dtype=np.float32) for p in self.parts]
        if not counts:
            return out
        keys = term_keys(list(counts))
        weights = [n * self.idf(t) for t, n in counts.items()]
        for i, part in enumerate(self.parts):
            self._score_part(i, part, keys, weights, out[i])
        return out

    def top(self, query: Sequence[str], k: int, masks: Sequence[np.ndarray | None] | None = None) -> list[ChannelHit]:
        """The k best-scoring live rows (positive scores only), best first; `masks` restrict each part."""
        hits: list[ChannelHit] = []
        for i, s in enumerate(self.scores(query)):
            hits.extend(ChannelHit(i, r, float(s[r])) for r in top_rows(s, k, masks[i] if masks else None))
        hits.sort(key=lambda h: -h.score)  # stable: ties stay in segment and row order (chunk order)
        return hits[:k]

    def _count(self, key: np.uint64) -> int:
        total = 0
        for part in self.parts:
            i = int(part.postings.find(np.array([key], dtype="<u8"))[0])
            if i >= 0:
                rows, _ = part.postings.postings(i)
                total += part.live_count(rows)
        return total

    def _norm(self, i: int) -> np.ndarray:
        """k1 * (1 - b + b * len / avg_len) per row of part i, computed once per reader."""
        if self._norms[i] is None:
            lengths = np.asarray(self.parts[i].postings.lengths, dtype=np.float32)
            self._norms[i] = (self.k1 * (1 - self.b + self.b * lengths / np.float32(self.avg_len))).astype(np.float32)
        return self._norms[i]

    def _score_part(self, i: int, part: Part, keys: np.ndarray, weights: list[float], out: np.ndarray) -> None:
        found = part.postings.find(keys)
        if not (found >= 0).any():
            return
        norm = self._norm(i)
        for j, w in zip(found, weights, strict=True):
            if j < 0:
                continue
            rows, tfs = part.postings.postings(int(j))
            tf = tfs.astype(np.float32)
            den = norm[rows]
            den += tf
            np.divide(tf, den, out=tf)  # in place: a common bigram has a posting in every tenth passage
            tf *= np.float32(w)
            out[rows] += tf  # rows are distinct within a term
        if part.deleted is not None:
            out[part.deleted] = 0.0


def _live(p: Part) -> np.ndarray | slice:
    return slice(None) if p.deleted is None else ~p.deleted
