"""A loaded, read-only index version: passages, both lexical channels, and the dense channel if any."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from retrieval import store
from retrieval.dense import DenseIndex
from retrieval.embedders.base import Embedder
from retrieval.lexical import LexicalIndex
from retrieval.models import Document
from retrieval.tokenize import terms_version

log = logging.getLogger("speechbot")


@dataclass
class SpeechIndex:
    """Everything a search needs, loaded once and shared by concurrent readers."""

    root: Path
    version: Path
    manifest: store.Manifest
    records: dict[str, store.DocRecord]
    chunks: list[store.StoredChunk]
    words: LexicalIndex
    bigrams: LexicalIndex
    dense: DenseIndex | None = None
    embedder: Embedder | None = None
    row_of: dict[int, int] = field(default_factory=dict)  # chunk_id -> row in `chunks`
    doc_rows: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def open(cls, root: Path, embedder: Embedder | None = None) -> SpeechIndex:
        """Open the current version; IndexNotFound / IndexMismatch say what to run."""
        version = store.require_current(root)
        manifest = store.read_manifest(version)
        store.check_compatible(manifest, root, terms_version(), embedder.name if embedder else None)
        chunks = store.read_chunks(version)
        dense = None
        if embedder and (version / "dense.faiss").exists():
            dense = DenseIndex.load(version)
        elif embedder:
            log.warning("index at %s has no vectors for %s; searching lexically until it is re-ingested",
                        root, embedder.name)
            embedder = None
        index = cls(root, version, manifest, store.read_records(version), chunks,
                    LexicalIndex.load(version / "words"), LexicalIndex.load(version / "bigrams"), dense, embedder)
        index.row_of = {c.chunk_id: i for i, c in enumerate(chunks)}
        rows: dict[str, list[int]] = {}
        for i, c in enumerate(chunks):
            rows.setdefault(c.doc_id, []).append(i)
        index.doc_rows = {d: np.array(r, dtype=np.int64) for d, r in rows.items()}
        return index

    def document(self, doc_id: str) -> Document:
        return store.require_document(self.version, self.records, doc_id)

    def __len__(self) -> int:
        return len(self.chunks)
