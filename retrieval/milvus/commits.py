"""Published generations: one row per commit in the `commits` collection, the newest being the index.

Rows of documents, passages and vectors carry the generation that added them (`born`) and the one that retired
them (`died`, 0 while alive); a reader of generation g sees exactly those with born <= g < died. Publishing is the
insert of the commit row, the writer's last step: a crash before it leaves rows of an unpublished generation,
which the next writer rolls back (see writer).
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from retrieval.milvus import schema
from retrieval.models import now_iso

if TYPE_CHECKING:
    from pymilvus import MilvusClient

    from retrieval.backends import Backend

FORMAT_VERSION = 1
KEEP = 8  # commit rows kept (older ones are only history)


class MilvusCommit(BaseModel):
    """One generation: counts, the length totals BM25 averages over, the settings the index was built with."""

    format_version: int = FORMAT_VERSION
    index_id: int = Field(default_factory=lambda: uuid.uuid4().int >> 66)  # a rebuilt index restarts its generations
    generation: int = 0
    created: str = ""
    tokenizer: str
    bm25: str = "ours"
    embed_model: str = ""
    embed_dim: int | None = None
    chunk_size: int = 260
    chunk_overlap: int = 1
    next_chunk_id: int = 0
    next_doc_key: int = 1
    documents: int = 0
    passages: int = 0
    total_words: int = 0  # tokens of the live passages, per channel
    total_bigrams: int = 0

    def avg(self, channel: str) -> float:
        total = self.total_words if channel == "words" else self.total_bigrams
        return total / self.passages if self.passages else 1.0


def visible(g: int) -> str:
    """The filter of rows a reader of generation g sees."""
    return f"born <= {g} and (died == 0 or died > {g})"


def latest(client: MilvusClient, prefix: str) -> MilvusCommit | None:
    n = schema.name(prefix, "commits")
    if not client.has_collection(n):
        return None
    client.load_collection(n)
    rows = client.query(n, filter="generation >= 0", output_fields=["generation", "info"], limit=16_384)
    if not rows:
        return None
    best = max(rows, key=lambda r: r["generation"])
    return MilvusCommit.model_validate(json.loads(best["info"]))


def version(backend: Backend) -> tuple[int, int] | None:
    """(generation, index id) of the newest commit: what a server compares to notice another process's commit."""
    from retrieval.milvus.client import client

    commit = latest(client(backend), backend.collection)
    return (commit.generation, commit.index_id) if commit else None


def publish(client: MilvusClient, prefix: str, commit: MilvusCommit) -> None:
    """Make the generation the index (one insert), then forget commit rows beyond the last KEEP."""
    n = schema.name(prefix, "commits")
    commit.created = now_iso()
    client.insert(n, [{"generation": commit.generation, "info": commit.model_dump_json(), "_v": schema.DUMMY}])
    client.delete(n, filter=f"generation <= {commit.generation - KEEP}")
