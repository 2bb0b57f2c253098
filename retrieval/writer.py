"""Write a new index version: start from the current one, replace or remove documents, publish atomically."""

from __future__ import annotations

import fcntl
import json
import logging
import shutil
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from retrieval import store
from retrieval.dense import DenseIndex
from retrieval.embedders.base import Embedder
from retrieval.errors import IndexBusy
from retrieval.lexical import LexicalIndex
from retrieval.models import Chunk, Document
from retrieval.passages import dense_text, passage_bigrams, passage_words
from retrieval.tokenize import terms_version

log = logging.getLogger("speechbot")


@contextmanager
def write_lock(root: Path, wait: bool = True):
    """One writer at a time per index folder; readers never wait."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            raise IndexBusy(f"another ingest is writing {root}") from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class IndexWriter:
    """Accumulates changes against the current version and writes the next one.

    Args:
        root: the index folder.
        chunk_size, chunk_overlap: recorded in the manifest.
        embedder: when given, new passages are embedded and the dense index kept in step.
        rebuild: start from an empty index instead of the current version.
    """

    def __init__(self, root: Path, chunk_size: int | None = None, chunk_overlap: int | None = None,
                 embedder: Embedder | None = None, rebuild: bool = False):
        self.root = root
        self.embedder = embedder
        self._base = None if rebuild else store.current_path(root)
        tokenizer = terms_version()
        if self._base:
            manifest = store.read_manifest(self._base)
            store.check_compatible(manifest, root, tokenizer, embedder.name if embedder else None)
            self.records = store.read_records(self._base)
            chunks = store.read_chunks(self._base)
        else:
            manifest, self.records, chunks = None, {}, []
        self.manifest = store.Manifest(
            tokenizer=tokenizer,
            chunk_size=chunk_size if chunk_size is not None else (manifest.chunk_size if manifest else 260),
            chunk_overlap=chunk_overlap if chunk_overlap is not None else (manifest.chunk_overlap if manifest else 1),
            embed_model=embedder.name if embedder else (manifest.embed_model if manifest else ""),
            embed_dim=embedder.dim if embedder else (manifest.embed_dim if manifest else None),
            next_chunk_id=manifest.next_chunk_id if manifest else 0,
            documents=dict(manifest.documents) if manifest else {})
        self.chunks: dict[str, list[store.StoredChunk]] = {}
        for c in chunks:
            self.chunks.setdefault(c.doc_id, []).append(c)
        self._new_docs: dict[str, Document] = {}
        self._removed_ids: list[int] = []
        self._by_hash = {h: d for d, h in self.manifest.documents.items()}
        self.sources_changed = False

    def hash_of(self, doc_id: str) -> str | None:
        return self.manifest.documents.get(doc_id)

    def find_by_hash(self, content_hash: str) -> str | None:
        return self._by_hash.get(content_hash)

    def upsert(self, doc: Document, chunks: list[Chunk], fingerprint: int = 0,
               words: list[list[str]] | None = None) -> None:
        """Add a document or replace an older version of it (its old passages go everywhere).

        Args:
            words: the passages' word tokens when already computed (ingest does it in its worker processes).
        """
        self.remove(doc.doc_id)
        first = self.manifest.next_chunk_id
        words = words or [passage_words(c.norm, c.heading, doc.meta.title) for c in chunks]
        stored = []
        for i, (c, toks) in enumerate(zip(chunks, words, strict=True)):
            c = c.model_copy(update={"chunk_id": first + i, "doc_id": doc.doc_id})
            stored.append(store.StoredChunk(**c.model_dump(), words=toks))
        self.manifest.next_chunk_id = first + len(chunks)
        self.chunks[doc.doc_id] = stored
        self._new_docs[doc.doc_id] = doc
        self.records[doc.doc_id] = store.DocRecord(doc_id=doc.doc_id, meta=doc.meta, content_hash=doc.content_hash,
                                                   sources=doc.sources, added=doc.added, n_chunks=len(stored),
                                                   fingerprint=fingerprint)
        self.manifest.documents[doc.doc_id] = doc.content_hash
        self._by_hash.setdefault(doc.content_hash, doc.doc_id)

    def add_source(self, doc_id: str, source: str) -> None:
        """Record another place the same content came from (a near-duplicate repost)."""
        rec = self.records[doc_id]
        if source not in rec.sources:
            rec.sources.append(source)
            self.sources_changed = True

    def remove(self, doc_id: str) -> bool:
        old = self.chunks.pop(doc_id, [])
        self._removed_ids.extend(c.chunk_id for c in old)
        self._new_docs.pop(doc_id, None)
        self.records.pop(doc_id, None)
        old_hash = self.manifest.documents.pop(doc_id, None)
        if old_hash is not None and self._by_hash.get(old_hash) == doc_id:
            del self._by_hash[old_hash]
        return old_hash is not None

    def commit(self, progress: Callable[[int], None] | None = None) -> Path:
        """Write every file of the new version into a staging folder, then publish it."""
        staged = store.new_version_dir(self.root)
        try:
            self._write(staged, progress)
            self.manifest.created = store.now_iso()
            (staged / "manifest.json").write_text(self.manifest.model_dump_json(indent=1), encoding="utf-8")
            return store.publish(self.root, staged)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise

    def _write(self, staged: Path, progress: Callable[[int], None] | None) -> None:
        self._write_texts(staged)
        ordered = [c for doc_id in self.records for c in self.chunks.get(doc_id, [])]
        with open(staged / "chunks.jsonl", "w", encoding="utf-8") as fh:
            for c in ordered:
                fh.write(c.model_dump_json() + "\n")
        titles = {d: r.meta.title for d, r in self.records.items()}
        LexicalIndex.build([c.words for c in ordered]).save(staged / "words")
        LexicalIndex.build([passage_bigrams(c.norm, c.heading, titles[c.doc_id]) for c in ordered]).save(
            staged / "bigrams")
        if self.embedder:
            self._write_dense(staged, titles, progress)
        elif self._base and (self._base / "dense.faiss").exists():
            self._carry_dense(staged)

    def _write_texts(self, staged: Path) -> None:
        with open(staged / "texts.jsonl", "wb") as out, open(staged / "documents.jsonl", "w",
                                                             encoding="utf-8") as meta:
            for doc_id, rec in self.records.items():
                line = self._text_line(doc_id, rec)  # reads the previous version at rec.text_pos, still the old one
                rec.text_pos = out.tell()
                out.write(line)
                meta.write(rec.model_dump_json() + "\n")

    def _text_line(self, doc_id: str, rec: store.DocRecord) -> bytes:
        doc = self._new_docs.get(doc_id)
        if doc is None:  # unchanged: copy the line from the previous version
            with open(self._base / "texts.jsonl", "rb") as fh:
                fh.seek(rec.text_pos)
                return fh.readline()
        line = {"raw": doc.raw, "text": doc.text, "runs": store.compress_offsets(doc.raw_offsets),
                "notes": doc.notes}
        return (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")

    def _carry_dense(self, staged: Path) -> None:
        """No model configured now: keep the vectors of unchanged passages, or drop them all if text changed."""
        if self._new_docs:
            log.warning("no embedding model configured: the index's vectors are dropped (search is lexical)")
            self.manifest.embed_model, self.manifest.embed_dim = "", None
            return
        dense = DenseIndex.load(self._base)
        if self._removed_ids:
            dense.remove(np.array(self._removed_ids, dtype=np.int64))
        dense.save(staged)

    def _write_dense(self, staged: Path, titles: dict[str, str], progress: Callable[[int], None] | None) -> None:
        old = self._base / "dense.faiss" if self._base else None
        dense = DenseIndex.load(self._base) if old and old.exists() else DenseIndex.create(self.embedder.dim)
        if old and old.exists():
            dense.remove(np.array(self._removed_ids, dtype=np.int64)) if self._removed_ids else None
            new = [c for d in self._new_docs for c in self.chunks[d]]
        else:  # first model for this index: embed every passage
            new = [c for cs in self.chunks.values() for c in cs]
        batch = 256
        for i in range(0, len(new), batch):
            part = new[i : i + batch]
            vecs = self.embedder.embed_passages([dense_text(c.text, c.heading, titles[c.doc_id]) for c in part])
            dense.add(np.array([c.chunk_id for c in part], dtype=np.int64), vecs)
            if progress:
                progress(len(part))
        dense.save(staged)
