"""Write the next generation of a Milvus index (the caller holds the write lock, see retrieval.backends).

Documents and their texts are written at once (the writer must see them: a copy later in the same ingest is a
duplicate); passages are buffered and written FLUSH_ROWS at a time with their BM25 weights; term frequencies,
length totals and the commit row are written by `commit`, which publishes everything.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from retrieval.base import StoredDoc
from retrieval.embedders.base import Embedder
from retrieval.local.postings import Encoded
from retrieval.milvus import schema, upkeep
from retrieval.milvus.client import client
from retrieval.milvus.commits import MilvusCommit, latest, publish
from retrieval.milvus.filters import in_list, quote
from retrieval.milvus.index import check_compatible
from retrieval.milvus.records import document_row, passage_row, text_rows
from retrieval.milvus.sparse import CHANNEL_IDS, dims, passage_vectors
from retrieval.models import Chunk, Document
from retrieval.passages import dense_text
from retrieval.tokenize import terms_version

log = logging.getLogger("speechbot")
FLUSH_ROWS = 20_000  # passages buffered before they are written (their weights use the running averages)
INSERT = 500  # rows per insert call
LOOKUP = 500  # document ids per query
CHANNELS = ("words", "bigrams")


@dataclass
class _Pending:
    rows: list[dict]  # passage rows without channels
    channels: dict[str, Encoded]
    texts: list[str]  # what the embedder sees, when one is configured


class MilvusWriter:
    """Accumulates changes as the pending generation and publishes them with `commit`."""

    def __init__(self, backend, chunk_size: int | None = None, chunk_overlap: int | None = None,
                 embedder: Embedder | None = None, rebuild: bool = False):
        self.backend, self.embedder = backend, embedder
        self.client = client(backend)
        self.prefix = backend.collection
        if rebuild:
            schema.drop(self.client, self.prefix)
        base = latest(self.client, self.prefix)
        if base is not None:
            check_compatible(base, backend, embedder)
        self.info = self._next(base, chunk_size, chunk_overlap)
        self.g = self.info.generation
        schema.create(self.client, self.prefix, backend.bm25 == "engine", embedder.dim if embedder else None)
        upkeep.rollback(self.client, self.prefix, self.g - 1)
        self._buffer: list[_Pending] = []
        self._buffered = 0
        self._df: Counter[int] = Counter()  # terms-collection key -> change of document frequency
        self._add_vectors = bool(embedder and base and base.passages and not base.embed_model)
        self._unembedded = False  # passages written without vectors in this generation
        # Ids looked up and found neither stored nor an alias: ingest asks about a new document again before
        # adding it, and each ask is a round trip (a few ms, most of a small document's cost).
        self._absent: set[str] = set()
        # Content hash -> (doc_key, doc_id) of the live documents, read in one pass when ingest first asks: milvus-lite
        # filters rows in Python, so one query per document grew with the library (60% of an ingest at 4,000).
        self._hashes: dict[str, tuple[int, str]] | None = None
        # New documents' rows, sources of unchanged documents and copies' aliases, written a batch at a time: each
        # milvus-lite call costs more as the collection grows, and one per document came to dominate an ingest.
        self._keeps: dict[str, list[tuple[str, str | None]]] = {}
        self._aliases: dict[str, dict] = {}
        self._docs: dict[str, dict] = {}  # new document rows and their text rows, likewise
        self._texts: list[dict] = []
        self._changed = rebuild

    @property
    def changed(self) -> bool:
        """Something to commit (recorded sources are written first: a new one is a change)."""
        self._write_pending()
        return self._changed

    @changed.setter
    def changed(self, value: bool) -> None:
        self._changed = value

    def _next(self, base: MilvusCommit | None, size: int | None, overlap: int | None) -> MilvusCommit:
        emb = self.embedder
        info = base.model_copy() if base else MilvusCommit(tokenizer=terms_version(), bm25=self.backend.bm25)
        info.generation = (base.generation if base else 0) + 1
        info.chunk_size = size if size is not None else info.chunk_size
        info.chunk_overlap = overlap if overlap is not None else info.chunk_overlap
        info.embed_model, info.embed_dim = (emb.name, emb.dim) if emb else (info.embed_model, info.embed_dim)
        return info

    def _name(self, kind: str) -> str:
        return schema.name(self.prefix, kind)

    def _live(self, where: str, fields: list[str]) -> list[dict]:
        self._write_pending()  # what this writer holds back is part of what it reads
        return self.client.query(self._name("documents"), filter=f"died == 0 and {where}", output_fields=fields,
                                 limit=16_384)

    # --- what ingest asks --------------------------------------------------------------------------------------

    def stored(self, doc_ids: Sequence[str]) -> dict[str, StoredDoc]:
        out: dict[str, StoredDoc] = {}
        ids = [i for i in dict.fromkeys(doc_ids) if i not in self._absent]
        if len(self._absent) > 1_000_000:
            self._absent.clear()
        for a in range(0, len(ids), LOOKUP):
            part = ids[a : a + LOOKUP]
            for r in self._live(in_list("doc_id", part), ["doc_id", "raw_hash", "content_hash", "meta"]):
                out[r["doc_id"]] = StoredDoc(r["raw_hash"], r["content_hash"], None, r["meta"])
            aliases = self.client.query(self._name("aliases"), filter=in_list("doc_id", part),
                                        output_fields=["raw_hash", "twin"], limit=16_384)
            twins = {r["doc_id"]: r for r in self._live(in_list("doc_id", [x["twin"] for x in aliases] or [""]),
                                                       ["doc_id", "content_hash"])}
            for x in aliases:
                if x["doc_id"] not in out and x["twin"] in twins:
                    out[x["doc_id"]] = StoredDoc(x["raw_hash"], twins[x["twin"]]["content_hash"], x["twin"])
            self._absent.update(set(part) - out.keys() - {x["doc_id"] for x in aliases})
        return out

    def sources(self, doc_id: str) -> list[str]:
        """Every path or URL the stored document came from ([] for none, or for an input kept as a copy)."""
        if doc_id in self._absent:
            return []
        rows = self._live(f"doc_id == {quote(doc_id)}", ["sources"])
        return list(rows[0]["sources"]) if rows else []

    def find_by_hash(self, content_hash: str) -> str | None:
        if self._hashes is None:
            self._hashes = {}
            for r in self._scan(["doc_id", "doc_key", "content_hash"]):
                self._note_hash(r["content_hash"], r["doc_key"], r["doc_id"])
        found = self._hashes.get(content_hash)
        return found[1] if found else None

    def _note_hash(self, content_hash: str, doc_key: int, doc_id: str) -> None:
        if self._hashes is not None and (content_hash not in self._hashes or doc_key < self._hashes[content_hash][0]):
            self._hashes[content_hash] = (doc_key, doc_id)

    def _forget_hash(self, content_hash: str, doc_key: int) -> None:
        """A removed document's hash: the oldest other live document with it takes its place."""
        if self._hashes is None or self._hashes.get(content_hash, (None,))[0] != doc_key:
            return
        del self._hashes[content_hash]
        rows = self._live(f"content_hash == {quote(content_hash)} and doc_key != {doc_key}", ["doc_id", "doc_key"])
        for r in rows:
            self._note_hash(content_hash, r["doc_key"], r["doc_id"])

    def _scan(self, fields: list[str]) -> Iterator[dict]:
        """Every live document's `fields`, in batches."""
        self._write_pending()
        it = self.client.query_iterator(self._name("documents"), batch_size=5_000, filter="died == 0",
                                        output_fields=fields)
        try:
            while batch := it.next():
                yield from batch
        finally:
            it.close()

    def fingerprints(self) -> dict[str, int]:
        return {r["doc_id"]: r["fingerprint"] % (1 << 64) for r in self._scan(["doc_id", "fingerprint"])}

    # --- changes -----------------------------------------------------------------------------------------------

    def upsert(self, doc: Document, chunks: Sequence[Chunk], runs: list, fingerprint: int, raw_hash: str,
               channels: dict[str, Encoded]) -> None:
        """Add a document or replace the stored one (its rows die in this generation)."""
        self.remove(doc.doc_id)
        info = self.info
        doc_key, first = info.next_doc_key, info.next_chunk_id
        info.next_doc_key += 1
        info.next_chunk_id += len(chunks)
        chunks = [c.model_copy(update={"chunk_id": first + i, "doc_id": doc.doc_id}) for i, c in enumerate(chunks)]
        text = text_rows(doc, doc_key, runs)  # (refuses a text too long before anything is written)
        self._docs[doc.doc_id] = document_row(doc, doc_key, self.g, len(chunks), fingerprint, raw_hash)
        self._texts += text
        self._note_hash(doc.content_hash, doc_key, doc.doc_id)
        self._absent.discard(doc.doc_id)
        info.documents += 1
        info.passages += len(chunks)
        info.total_words += int(channels["words"].lengths.sum())
        info.total_bigrams += int(channels["bigrams"].lengths.sum())
        for ch in CHANNELS:
            self._count(ch, channels[ch].keys, +1)
        texts = [dense_text(c.text, c.heading, doc.meta.title) for c in chunks] if self.embedder else []
        self._buffer.append(_Pending([passage_row(c, doc, doc_key, self.g) for c in chunks], channels, texts))
        self._buffered += len(chunks)
        self.changed = True
        if len(self._docs) >= INSERT:
            self._write_pending()
        if self._buffered >= FLUSH_ROWS:
            self.flush()

    def _count(self, channel: str, keys_or_dims: np.ndarray, sign: int, already_dims: bool = False) -> None:
        d = keys_or_dims if already_dims else dims(keys_or_dims)
        base = CHANNEL_IDS[channel] << 32
        values, counts = np.unique(np.asarray(d, dtype=np.int64), return_counts=True)
        for v, c in zip(values.tolist(), counts.tolist(), strict=True):
            self._df[base | v] += sign * c

    def keep(self, doc_id: str, source: str, raw_hash: str | None = None) -> None:
        """The stored document is unchanged: record where it came from again (written with the next batch)."""
        self._keeps.setdefault(doc_id, []).append((source, raw_hash))

    def alias(self, doc_id: str, raw_hash: str, twin: str) -> None:
        self._absent.discard(doc_id)
        self._aliases[doc_id] = {"doc_id": doc_id, "raw_hash": raw_hash, "twin": twin, "born": self.g,
                                 "_v": schema.DUMMY}
        self._changed = True

    def _write_pending(self) -> None:
        """Write the new documents, the recorded sources and aliases: a few calls for a whole batch of inputs."""
        if self._docs:
            rows, texts = list(self._docs.values()), self._texts
            self._docs, self._texts = {}, []
            self._put("documents", rows)
            self._put("texts", texts)
        if self._aliases:
            rows = list(self._aliases.values())
            self._aliases = {}
            self._put("aliases", rows, upsert=True)
        if not self._keeps:
            return
        keeps, self._keeps = self._keeps, {}
        ids = list(keeps)
        for a in range(0, len(ids), LOOKUP):
            updates = []
            for row in self._live(in_list("doc_id", ids[a : a + LOOKUP]), ["doc_key", "doc_id", "sources", "raw_hash"]):
                sources, raw = list(row["sources"]), row["raw_hash"]
                for source, new_raw in keeps[row["doc_id"]]:
                    if source not in sources and len(sources) < schema.SOURCES_MAX:
                        sources.append(source)
                    raw = new_raw or raw
                if sources != list(row["sources"]) or raw != row["raw_hash"]:
                    self._changed = self._changed or sources != list(row["sources"])
                    updates.append({"doc_key": row["doc_key"], "sources": sources, "raw_hash": raw})
            if updates:
                self.client.upsert(self._name("documents"), updates, partial_update=True)

    def _put(self, kind: str, rows: list[dict], upsert: bool = False) -> None:
        """Insert (or upsert) rows into one collection, INSERT at a time."""
        write = self.client.upsert if upsert else self.client.insert
        for a in range(0, len(rows), INSERT):
            write(self._name(kind), rows[a : a + INSERT])

    def remove(self, doc_id: str) -> bool:
        self._aliases.pop(doc_id, None)
        if doc_id in self._absent:
            return False
        self.client.delete(self._name("aliases"), filter=f"doc_id == {quote(doc_id)}")
        rows = self._live(f"doc_id == {quote(doc_id)}", ["doc_key", "born", "content_hash"])
        if not rows:
            return False
        key = rows[0]["doc_key"]
        if rows[0]["born"] == self.g and self._buffer:
            self.flush()  # the same id twice in one ingest: its first passages are written, then retired
        upkeep.set_field(self.client, self._name("documents"), "doc_key", [key], "died", self.g)
        self._retire_passages(key)
        self._forget_hash(rows[0]["content_hash"], key)
        # a copy of the old text is no copy of what replaces it: such inputs are read afresh
        self.client.delete(self._name("aliases"), filter=f"twin == {quote(doc_id)}")
        self._aliases = {k: v for k, v in self._aliases.items() if v["twin"] != doc_id}
        self.info.documents -= 1
        self.changed = True
        return True

    def _retire_passages(self, doc_key: int) -> None:
        n = self._name("passages")
        rows = self.client.query(n, filter=f"doc_key == {doc_key}", limit=16_384,
                                 output_fields=["chunk_id", "words", "bigrams", "len_words", "len_bigrams"])
        ids = [r["chunk_id"] for r in rows]
        for ch in CHANNELS:
            self._count(ch, upkeep.dims_of(rows, ch), -1, already_dims=True)
        self.info.passages -= len(rows)
        self.info.total_words -= sum(r["len_words"] for r in rows)
        self.info.total_bigrams -= sum(r["len_bigrams"] for r in rows)
        upkeep.set_field(self.client, n, "chunk_id", ids, "died", self.g)
        if self.client.has_collection(self._name("dense")):
            upkeep.set_field(self.client, self._name("dense"), "chunk_id", ids, "died", self.g)

    def flush(self) -> None:
        """Write the buffered passages, weighted with the averages known now (commit corrects what moved)."""
        if not self._buffer:
            return
        avg = {ch: self.info.avg(ch) for ch in CHANNELS}
        rows, texts = [], []
        for p in self._buffer:
            vectors = {ch: passage_vectors(p.channels[ch], avg[ch]) for ch in CHANNELS}
            for i, row in enumerate(p.rows):
                for ch in CHANNELS:
                    row[ch], row[f"avg_{ch}"] = vectors[ch][i], avg[ch]
                    row[f"len_{ch}"] = int(p.channels[ch].lengths[i])
                if self.backend.bm25 == "engine":
                    row["lex"] = f"{row['norm']}\n{row['heading']}"
                rows.append(row)
            texts += p.texts
        self._buffer, self._buffered = [], 0
        self._unembedded = self._unembedded or self.embedder is None
        self._put("passages", rows)
        if self.embedder:
            self._insert_vectors(rows, texts)

    def _insert_vectors(self, rows: list[dict], texts: list[str]) -> None:
        for a in range(0, len(rows), 256):
            vectors = self.embedder.embed_passages(texts[a : a + 256])
            self.client.insert(self._name("dense"), [
                {"chunk_id": r["chunk_id"], **{f: r[f] for f in schema.FILTER_FIELDS}, "vector": v.tolist()}
                for r, v in zip(rows[a : a + 256], vectors, strict=True)])

    # --- publishing --------------------------------------------------------------------------------------------

    def commit(self) -> int:
        """Publish the pending generation: passages, weights and statistics first, the commit row last."""
        self._write_pending()
        self.flush()
        self._vectors_in_step()
        upkeep.update_df(self.client, self.prefix, dict(self._df), self.g)
        moved = upkeep.reweigh_passages(self.client, self.prefix, {ch: self.info.avg(ch) for ch in CHANNELS}, self.g)
        if moved:
            log.info("Milvus index %s: %d passages reweighted for the new average lengths", self.prefix, moved)
        upkeep.purge(self.client, self.prefix, self.g)
        for kind in ("passages", "dense"):
            if self.client.has_collection(self._name(kind)):
                self.client.flush(self._name(kind))  # sealed segments: searched from built indexes
        publish(self.client, self.prefix, self.info)
        published = self.g
        self._df.clear()
        self._unembedded = False
        self.info = self.info.model_copy(update={"generation": published + 1})
        self.g = published + 1
        self.changed = False
        return published

    def _vectors_in_step(self) -> None:
        """The index has a model's vectors only if every passage has them: add them, or stop claiming them."""
        if self.embedder is None:
            if self.info.embed_model and self._unembedded:  # passages without vectors were added
                log.warning("no embedding model configured: the Milvus index's vectors are dropped (search is lexical)")
                self.client.drop_collection(self._name("dense"))
                self.info.embed_model, self.info.embed_dim = "", None
            return
        if self._add_vectors:
            self._embed_existing()
            self._add_vectors = False

    def _embed_existing(self) -> None:
        """A model configured for an index built without one: the passages already there are embedded once."""
        n = self._name("passages")
        ids = upkeep.ids_where(self.client, n, "chunk_id", f"died == 0 and born < {self.g}")
        for a in range(0, len(ids), upkeep.BATCH):
            rows = self.client.get(n, ids=ids[a : a + upkeep.BATCH], output_fields=[
                "chunk_id", "text", "heading", "doc_key", *schema.FILTER_FIELDS])
            titles = {r["doc_key"]: r for r in self.client.get(self._name("documents"), ids=list(
                {r["doc_key"] for r in rows}), output_fields=["meta"])}
            texts = [dense_text(r["text"], r["heading"], _title(titles.get(r["doc_key"]))) for r in rows]
            self._insert_vectors(rows, texts)

    def maybe_merge(self) -> int:
        """Milvus merges (compacts) its own segments: nothing to ask for."""
        return 0

    def optimize(self) -> None:
        """Weigh every passage with the current averages (scores then equal the local backend's exactly), purge
        every retired row, and ask Milvus to compact the passages."""
        if self.changed:
            self.commit()
        avg = {ch: self.info.avg(ch) for ch in CHANNELS}
        upkeep.reweigh_passages(self.client, self.prefix, avg, self.g, tolerance=upkeep.EXACT)
        upkeep.purge(self.client, self.prefix, self.g)
        for kind in ("passages", "dense"):
            if self.client.has_collection(self._name(kind)):
                self.client.compact(self._name(kind))

    def close(self) -> None:
        """Uncommitted changes stay unpublished; the next writer rolls them back. The client is shared."""


def _title(row: dict | None) -> str:
    import json

    return json.loads(row["meta"]).get("title", "") if row else ""
