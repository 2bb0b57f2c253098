"""The Milvus backend's reader: one published generation, searched and read through Milvus queries.

A reader sees the passages and documents of its generation (born <= g < died). The term statistics it weighs
questions with are the newest ones, and the rows a commit retires are purged at the commit after it: a reader
opened two commits ago may miss a document removed since. The service reopens its reader after each commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

from retrieval.base import BIGRAM, DENSE, LEXICAL, Candidate
from retrieval.embedders.base import Embedder
from retrieval.errors import IndexMismatch, IndexNotFound, UnknownDocument
from retrieval.milvus import schema
from retrieval.milvus.client import client
from retrieval.milvus.commits import FORMAT_VERSION, MilvusCommit, latest, visible
from retrieval.milvus.filters import expression, like_infix, quote
from retrieval.milvus.records import DOC_FIELDS, PASSAGE_FIELDS, to_chunk, to_document, to_record
from retrieval.milvus.sparse import K1
from retrieval.milvus.stats import ChannelStats
from retrieval.models import Chunk, DocRecord, Document, DocumentMeta, Filters, Passage
from retrieval.tokenize import terms_version

if TYPE_CHECKING:
    from pymilvus import MilvusClient

    from retrieval.backends import Backend

log = logging.getLogger("speechbot")
MARGIN = 10  # extra candidates asked for, so that ties at the k-th place are cut as the local backend cuts them
PAGE = 1_000
FIELDS = {LEXICAL: "words", BIGRAM: "bigrams"}


def check_compatible(commit: MilvusCommit, backend: Backend, embedder: Embedder | None) -> None:
    where = f"the Milvus index {backend.collection!r} at {backend.milvus_uri}"
    hint = "rebuild it with: speechbot ingest --rebuild PATH..."
    if commit.format_version != FORMAT_VERSION:
        raise IndexMismatch(f"{where} has format {commit.format_version}, this speechbot reads {FORMAT_VERSION}; "
                            f"{hint}")
    if commit.tokenizer != terms_version():
        raise IndexMismatch(f"{where} was built with dictionary {commit.tokenizer}, this speechbot uses "
                            f"{terms_version()}; {hint}")
    if commit.bm25 != backend.bm25:
        raise IndexMismatch(f"{where} was built with BM25 {commit.bm25!r}, asked for {backend.bm25!r}; {hint}")
    if embedder is not None and commit.embed_model and commit.embed_model != embedder.name:
        raise IndexMismatch(f"{where} holds vectors of model {commit.embed_model!r} but SPEECHBOT_EMBED_MODEL is "
                            f"{embedder.name!r}; {hint}")


class MilvusIndex:
    """A read-only view of one generation of a Milvus index (see retrieval.base.SpeechIndex)."""

    def __init__(self, backend: Backend, mc: MilvusClient, commit: MilvusCommit, embedder: Embedder | None):
        self.backend, self.client, self.commit = backend, mc, commit
        self.prefix = backend.collection
        self.g = commit.generation
        self.words = ChannelStats(mc, self.prefix, "words", commit.passages, commit.total_words)
        self.bigrams = ChannelStats(mc, self.prefix, "bigrams", commit.passages, commit.total_bigrams)
        self.embedder = embedder if embedder is not None and self._has_vectors(embedder) else None
        self._meta: dict[int, DocumentMeta] = {}

    @classmethod
    def open(cls, backend: Backend, embedder: Embedder | None = None) -> MilvusIndex:
        """Open the newest generation; IndexNotFound / IndexMismatch say what to run."""
        mc = client(backend)
        commit = latest(mc, backend.collection)
        if commit is None:
            raise IndexNotFound(f"no index {backend.collection!r} at {backend.milvus_uri}; create one with: "
                                "speechbot ingest PATH...")
        check_compatible(commit, backend, embedder)
        schema.create(mc, backend.collection, commit.bm25 == "engine", commit.embed_dim if commit.embed_model else None)
        return cls(backend, mc, commit, embedder)

    def _has_vectors(self, embedder: Embedder) -> bool:
        if self.commit.embed_model == embedder.name:
            return True
        log.warning("Milvus index %s has no vectors for %s; searching lexically until it is re-ingested",
                    self.prefix, embedder.name)
        return False

    def _name(self, kind: str) -> str:
        return schema.name(self.prefix, kind)

    def close(self) -> None:
        """Nothing is held: the client is shared by the process."""

    def __len__(self) -> int:
        return self.commit.passages

    @property
    def n_documents(self) -> int:
        return self.commit.documents

    @property
    def generation(self) -> int:
        return self.g

    @property
    def channels(self) -> tuple[str, ...]:
        return (LEXICAL, BIGRAM, DENSE) if self.embedder is not None else (LEXICAL, BIGRAM)

    # --- search ------------------------------------------------------------------------------------------------

    def _where(self, filters: Filters | None) -> str:
        extra = expression(filters)
        return visible(self.g) + (f" and {extra}" if extra else "")

    def search(self, channel: str, query: Sequence[str] | str, k: int,
               filters: Filters | None = None) -> list[Candidate]:
        if channel == DENSE:
            return self._dense(str(query), k, filters)
        stats = self.words if channel == LEXICAL else self.bigrams
        tokens = list(query)
        vec, reference = stats.query_vector(tokens)
        if not vec or not len(self):
            return []
        if channel == LEXICAL and self.commit.bm25 == "engine":
            return self._engine(tokens, k, filters, reference)
        hits = self.client.search(self._name("passages"), data=[vec], anns_field=FIELDS[channel], limit=k + MARGIN,
                                  filter=self._where(filters), search_params={"metric_type": "IP"})[0]
        # Scores at the local backend's float32 precision, ties in chunk order, as the local backend leaves them.
        scored = ((float(np.float32(h["distance"])), int(h["chunk_id"])) for h in hits)
        best = sorted(scored, key=lambda s: (-s[0], s[1]))[:k]
        return [Candidate(cid, min(1.0, score / reference)) for score, cid in best if score > 0]

    def _engine(self, tokens: list[str], k: int, filters: Filters | None, reference: float) -> list[Candidate]:
        """Milvus's own BM25 over its jieba analysis of the passage (measured against ours, not the default).
        milvus-lite reports BM25 as a negative distance, a server as a positive score: the magnitude is the score;
        it carries BM25's (k1 + 1) factor, which ours leaves out."""
        hits = self.client.search(self._name("passages"), data=[" ".join(tokens)], anns_field="lex_bm25",
                                  limit=k, filter=self._where(filters), search_params={"metric_type": "BM25"})[0]
        return [Candidate(int(h["chunk_id"]), min(1.0, abs(float(h["distance"])) / (K1 + 1) / reference)) for h in hits]

    def _dense(self, text: str, k: int, filters: Filters | None) -> list[Candidate]:
        if self.embedder is None:
            return []
        from retrieval.dense import to_unit

        vec = self.embedder.embed_query(text)
        hits = self.client.search(self._name("dense"), data=[vec.astype(float).tolist()], anns_field="vector",
                                  limit=k, filter=self._where(filters), search_params={"metric_type": "IP"})[0]
        return [Candidate(int(h["chunk_id"]), to_unit(h["distance"])) for h in hits]

    # --- passages and documents --------------------------------------------------------------------------------

    def _metas(self, doc_keys: set[int]) -> dict[int, DocumentMeta]:
        missing = list(doc_keys - self._meta.keys())
        if missing:
            if len(self._meta) > 50_000:
                self._meta.clear()
            rows = self.client.get(self._name("documents"), ids=missing, output_fields=["meta"])
            self._meta.update((r["doc_key"], DocumentMeta.model_validate_json(r["meta"])) for r in rows)
        return {k: self._meta[k] for k in doc_keys if k in self._meta}

    def _passages(self, rows: list[dict]) -> list[Passage]:
        metas = self._metas({r["doc_key"] for r in rows})
        return [Passage(chunk=to_chunk(r), meta=metas[r["doc_key"]]) for r in rows if r["doc_key"] in metas]

    def passages(self, chunk_ids: Sequence[int]) -> dict[int, Passage]:
        ids = list(dict.fromkeys(int(i) for i in chunk_ids))
        if not ids:
            return {}
        rows = self.client.get(self._name("passages"), ids=ids, output_fields=PASSAGE_FIELDS)
        return {p.chunk.chunk_id: p for p in self._passages(rows)}

    def next_passage(self, chunk_id: int) -> Passage | None:
        rows = self.client.get(self._name("passages"), ids=[chunk_id], output_fields=["doc_key", "ordinal"])
        if not rows:
            return None
        found = self.client.query(self._name("passages"), output_fields=PASSAGE_FIELDS, limit=1,
                                  filter=f"doc_key == {rows[0]['doc_key']} and ordinal == {rows[0]['ordinal'] + 1}")
        passages = self._passages(found)
        return passages[0] if passages else None

    def _iterate(self, kind: str, where: str, fields: list[str]) -> Iterator[dict]:
        it = self.client.query_iterator(self._name(kind), batch_size=PAGE, filter=where, output_fields=fields)
        try:
            while batch := it.next():
                yield from batch
        finally:
            it.close()

    def documents(self) -> Iterator[DocRecord]:
        rows = sorted(self._iterate("documents", visible(self.g), DOC_FIELDS), key=lambda r: r["doc_key"])
        for r in rows:  # in insertion order, as the local backend lists them
            yield to_record(r)

    def _doc_row(self, doc_id: str) -> dict:
        rows = self.client.query(self._name("documents"), output_fields=DOC_FIELDS, limit=1,
                                 filter=f"{visible(self.g)} and doc_id == {quote(doc_id)}")
        if not rows:
            raise UnknownDocument(f"no document {doc_id!r} in the index")
        return rows[0]

    def record(self, doc_id: str) -> DocRecord:
        return to_record(self._doc_row(doc_id))

    def document(self, doc_id: str) -> Document:
        row = self._doc_row(doc_id)
        pieces = self.client.query(self._name("texts"), filter=f"doc_key == {row['doc_key']}",
                                   output_fields=["key", "body"], limit=16_384)
        return to_document(row, pieces)

    def doc_passages(self, doc_id: str) -> list[Chunk]:
        try:
            key = self._doc_row(doc_id)["doc_key"]
        except UnknownDocument:
            return []
        rows = self.client.query(self._name("passages"), filter=f"doc_key == {key}", output_fields=PASSAGE_FIELDS,
                                 limit=16_384)
        return sorted((to_chunk(r) for r in rows), key=lambda c: c.ordinal)

    def docs_containing(self, needles: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for needle in needles:
            where = f"{visible(self.g)} and norm like {like_infix(needle)}"
            rows = self._iterate("passages", where, ["doc_id", "norm"])
            found.update(r["doc_id"] for r in rows if needle in r["norm"])  # LIKE may match a little more
        return found
