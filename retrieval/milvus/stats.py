"""Term statistics of one channel, read from the `terms` collection: what BM25 and the rerank's term weights use."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from retrieval.milvus import schema
from retrieval.milvus.sparse import CHANNEL_IDS, idf, token_dims

if TYPE_CHECKING:
    from pymilvus import MilvusClient

BATCH = 2_000  # ids per get


def term_ids(channel: str, dims: Iterable[int]) -> list[int]:
    """Primary keys of the terms collection: channel << 32 | dimension."""
    base = CHANNEL_IDS[channel] << 32
    return [base | int(d) for d in dims]


def read_df(client: MilvusClient, prefix: str, ids: Sequence[int], field: str = "df") -> dict[int, int]:
    """Stored document frequency by terms-collection key (absent keys: not in any live passage)."""
    out: dict[int, int] = {}
    for a in range(0, len(ids), BATCH):
        rows = client.get(schema.name(prefix, "terms"), ids=list(ids[a : a + BATCH]), output_fields=[field])
        out.update((int(r["key"]), int(r[field])) for r in rows)
    return out


class ChannelStats:
    """Document frequencies of one channel (satisfies retrieval.base.TermStats); cached per reader."""

    def __init__(self, client: MilvusClient, prefix: str, channel: str, n_docs: int, total_len: int):
        self.client, self.prefix, self.channel = client, prefix, channel
        self.n_docs = n_docs
        self.avg_len = total_len / n_docs if n_docs else 1.0
        self._df: dict[int, int] = {}  # by dimension

    def prefetch(self, tokens: Sequence[str]) -> np.ndarray:
        """The dimensions of tokens, their frequencies fetched in one round trip."""
        d = token_dims(tokens)
        missing = sorted({int(x) for x in d} - self._df.keys())
        if missing:
            if len(self._df) > 200_000:
                self._df.clear()
            found = read_df(self.client, self.prefix, term_ids(self.channel, missing))
            base = CHANNEL_IDS[self.channel] << 32
            self._df.update((m, found.get(base | m, 0)) for m in missing)
        return d

    def df_of(self, dim: int) -> int:
        return self._df.get(int(dim), 0)

    def df(self, token: str) -> int:
        return self.df_of(int(self.prefetch([token])[0]))

    def idf(self, token: str) -> float:
        """Lucene-style idf (an unseen token, df 0, gets the highest)."""
        return idf(self.n_docs, self.df(token))

    def query_vector(self, tokens: Sequence[str]) -> tuple[dict[int, float], float]:
        """BM25's question vector (count * idf per dimension, terms in no passage left out) and the 0-1 reference:
        the score of a passage holding each query term once at average length (as the local backend's)."""
        d = self.prefetch(tokens)
        vec: dict[int, float] = {}
        seen: dict[str, int] = {}
        for t, dim in zip(tokens, d.tolist(), strict=True):
            df = self.df_of(dim)
            if df:
                vec[dim] = vec.get(dim, 0.0) + idf(self.n_docs, df)
                seen.setdefault(t, dim)
        reference = sum(idf(self.n_docs, self.df_of(dim)) for dim in seen.values()) or 1.0
        return vec, reference
