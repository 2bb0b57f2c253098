"""The local backend's reader: one held generation, its segments memory-mapped, documents read from SQLite.

Opening costs a few milliseconds per segment whatever the library's size: no passage is loaded until asked for.
The generation is held (see commits) until `close`, or until the object is garbage-collected.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from retrieval.base import BIGRAM, DENSE, LEXICAL, Candidate
from retrieval.embedders.base import Embedder
from retrieval.errors import IndexNotFound, UnknownDocument
from retrieval.local import commits
from retrieval.local.docstore import DocReader
from retrieval.local.filters import exclude_sql, include_sql
from retrieval.local.layout import check_compatible, require_new_format
from retrieval.local.lexical import LexicalChannel, Part
from retrieval.local.segment import Segment
from retrieval.models import Chunk, DocRecord, Document, Filters, Passage
from retrieval.tokenize import terms_version

log = logging.getLogger("speechbot")


class LocalIndex:
    """A read-only view of one generation of a local index (see retrieval.base.SpeechIndex)."""

    def __init__(self, root: Path, held: commits.Held, embedder: Embedder | None):
        self.root = root
        self._held = held
        self.commit = held.commit
        self.segments = [Segment(root / "segments" / ref.name) for ref in self.commit.segments]
        self.deleted = [_mask(root, ref, seg) for ref, seg in zip(self.commit.segments, self.segments, strict=True)]
        self.words = self._channel("words")
        self.bigrams = self._channel("bigrams")
        self.embedder = embedder if embedder is not None and self._has_vectors(embedder) else None
        self.dense = [s.dense() for s in self.segments] if self.embedder else None
        self.docs = DocReader(root, self.commit.generation)
        self._lexical = {LEXICAL: self.words, BIGRAM: self.bigrams}
        self._mask_cache: dict[str, list[np.ndarray]] = {}
        # A reader dropped without close() (the service swaps readers) still lets its generation go.
        self._finalizer = weakref.finalize(self, _release, held, self.docs)

    @classmethod
    def open(cls, root: Path, embedder: Embedder | None = None) -> LocalIndex:
        """Open the newest generation; IndexNotFound / IndexMismatch say what to run."""
        require_new_format(root)
        held = commits.hold(root)
        if held is None:
            raise IndexNotFound(f"no index at {root}; create one with: speechbot ingest PATH... --index {root}")
        try:
            check_compatible(held.commit, root, terms_version(), embedder.name if embedder else None)
            return cls(root, held, embedder)
        except BaseException:
            held.release()
            raise

    def _channel(self, name: str) -> LexicalChannel:
        return LexicalChannel([Part(s.channels[name], d) for s, d in zip(self.segments, self.deleted, strict=True)])

    def _has_vectors(self, embedder: Embedder) -> bool:
        if self.commit.embed_model == embedder.name:
            return True
        log.warning("index at %s has no vectors for %s; searching lexically until it is re-ingested",
                    self.root, embedder.name)
        return False

    def close(self) -> None:
        self._finalizer()

    def __len__(self) -> int:
        return self.commit.passages

    @property
    def n_documents(self) -> int:
        return self.commit.documents

    @property
    def generation(self) -> int:
        return self.commit.generation

    @property
    def channels(self) -> tuple[str, ...]:
        return (LEXICAL, BIGRAM, DENSE) if self.dense is not None else (LEXICAL, BIGRAM)

    # --- search ------------------------------------------------------------------------------------------------

    def search(self, channel: str, query: Sequence[str] | str, k: int,
               filters: Filters | None = None) -> list[Candidate]:
        masks = self._masks(filters) if filters is not None and not filters.is_empty() else None
        if channel == DENSE:
            return self._dense(str(query), k, masks)
        lex = self._lexical[channel]
        ref = lex.reference(query)
        return [Candidate(int(self.segments[h.part].chunk_ids[h.row]), min(1.0, h.score / ref))
                for h in lex.top(query, k, masks)]

    def _dense(self, text: str, k: int, masks: list[np.ndarray] | None) -> list[Candidate]:
        if self.dense is None:
            return []
        from retrieval.dense import to_unit

        vec = self.embedder.embed_query(text)
        found: list[Candidate] = []
        for i, (seg, dense) in enumerate(zip(self.segments, self.dense, strict=True)):
            ok = masks[i] if masks is not None else (~self.deleted[i] if self.deleted[i] is not None else None)
            allowed = None if ok is None else np.asarray(seg.chunk_ids)[ok]
            found += [Candidate(h.id, to_unit(h.score)) for h in dense.search(vec, k, allowed=allowed)]
        return sorted(found, key=lambda c: -c.score)[:k]

    def _masks(self, f: Filters) -> list[np.ndarray]:
        """Per segment, the live rows a filter allows (cached: a question's channels share one filter)."""
        key = f.model_dump_json()
        if key not in self._mask_cache:
            if len(self._mask_cache) >= 8:
                self._mask_cache.clear()
            self._mask_cache[key] = self._compute_masks(f)
        return self._mask_cache[key]

    def _compute_masks(self, f: Filters) -> list[np.ndarray]:
        include, exclude = include_sql(f), exclude_sql(f)
        keep = np.array(self.docs.chunk_ids(*include), dtype=np.int64) if include else None
        drop = np.array(self.docs.chunk_ids(*exclude), dtype=np.int64) if exclude else None
        masks = []
        for seg, deleted in zip(self.segments, self.deleted, strict=True):
            ids = np.asarray(seg.chunk_ids)
            mask = np.isin(ids, keep) if keep is not None else np.ones(len(ids), dtype=bool)
            if drop is not None:
                mask &= ~np.isin(ids, drop)
            if deleted is not None:
                mask &= ~deleted
            masks.append(mask)
        return masks

    # --- passages and documents --------------------------------------------------------------------------------

    def passages(self, chunk_ids: Sequence[int]) -> dict[int, Passage]:
        return {cid: Passage(chunk=chunk, meta=meta) for cid, (chunk, meta) in self.docs.passages(chunk_ids).items()}

    def next_passage(self, chunk_id: int) -> Passage | None:
        found = self.docs.next_passage(chunk_id)
        return Passage(chunk=found[0], meta=self.docs.meta(found[1])) if found else None

    def documents(self) -> Iterator[DocRecord]:
        for r in self.docs.records():  # a generator method: the index stays open while it is iterated
            yield DocRecord(**r)

    def record(self, doc_id: str) -> DocRecord:
        for r in self.docs.records(doc_id):
            return DocRecord(**r)
        raise UnknownDocument(f"no document {doc_id!r} in the index")

    def document(self, doc_id: str) -> Document:
        doc = self.docs.document(doc_id)
        if doc is None:
            raise UnknownDocument(f"no document {doc_id!r} in the index")
        return doc

    def doc_passages(self, doc_id: str) -> list[Chunk]:
        return self.docs.doc_passages(doc_id)

    def docs_containing(self, needles: Sequence[str]) -> set[str]:
        return self.docs.docs_containing(needles)


def _release(held: commits.Held, docs: DocReader) -> None:
    docs.close()
    held.release()


def _mask(root: Path, ref: commits.SegmentRef, seg: Segment) -> np.ndarray | None:
    rows = commits.read_deletes(root, ref)
    if not len(rows):
        return None
    mask = np.zeros(seg.n_rows, dtype=bool)
    mask[rows] = True
    return mask
