"""A persisted BM25 channel (bm25s), with the document frequencies needed for 0-1 scores and term weights."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np

_DF_FILE = "df.json"


class LexicalIndex:
    """BM25 over pre-tokenised passages. Built once per index version, never per query."""

    def __init__(self, bm25: bm25s.BM25, df: dict[str, int], n_docs: int):
        self._bm25 = bm25
        self._df = df
        self.n_docs = n_docs

    @classmethod
    def build(cls, corpus: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> LexicalIndex:
        bm25 = bm25s.BM25(k1=k1, b=b, method="lucene")
        docs = [list(toks) for toks in corpus]
        if docs:
            bm25.index(docs, show_progress=False)
        df = Counter(t for toks in docs for t in set(toks))
        return cls(bm25, dict(df), len(docs))

    def save(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        if self.n_docs:
            self._bm25.save(str(path), show_progress=False)
        (path / _DF_FILE).write_text(json.dumps({"n_docs": self.n_docs, "df": self._df}, ensure_ascii=False),
                                     encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> LexicalIndex:
        meta = json.loads((path / _DF_FILE).read_text(encoding="utf-8"))
        bm25 = bm25s.BM25.load(str(path), show_progress=False, verbosity=0) if meta["n_docs"] else bm25s.BM25()
        return cls(bm25, meta["df"], meta["n_docs"])

    def idf(self, token: str) -> float:
        """Lucene-style idf; an unseen token weighs like one seen once."""
        df = self._df.get(token, 0)
        return math.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))

    def df(self, token: str) -> int:
        return self._df.get(token, 0)

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """BM25 score of every passage for the query tokens (unknown tokens ignored)."""
        known = [t for t in query if t in self._df]
        if not known or not self.n_docs:
            return np.zeros(self.n_docs, dtype=np.float32)
        return self._bm25.get_scores(known)

    def reference(self, query: Sequence[str]) -> float:
        """The score of a passage holding each query term once at average length: maps BM25 to 0-1."""
        return sum(self.idf(t) for t in set(query) if t in self._df) or 1.0
