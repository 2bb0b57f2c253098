"""Ingest files into the index: read, clean, extract metadata, dedupe, chunk, write a new version atomically."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.chunking import chunk
from ingest.clean import clean
from ingest.dedupe import nearest, simhash
from ingest.metadata import extract_metadata
from ingest.models import ReadFailure, SourceDoc
from ingest.readers import iter_sources
from retrieval.embedders.base import Embedder
from retrieval.models import Chunk, Document
from retrieval.store import now_iso
from retrieval.textnorm import normalize
from retrieval.writer import IndexWriter, write_lock

OUTCOMES = ("added", "updated", "unchanged", "duplicate", "failed")
_INVISIBLE = re.compile(r"[\s\W_]+")


@dataclass
class FileOutcome:
    path: str
    outcome: str  # one of OUTCOMES
    doc_id: str = ""
    detail: str = ""


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(o.outcome == outcome for o in self.outcomes)

    def summary(self) -> dict[str, int]:
        return {k: self.count(k) for k in OUTCOMES}


@dataclass
class IngestOptions:
    chunk_size: int = 260
    chunk_overlap: int = 1
    embedder: Embedder | None = None
    rebuild: bool = False


@dataclass
class Prepared:
    doc: Document
    chunks: list[Chunk]
    fingerprint: int


def doc_id_for(source: SourceDoc, root: Path) -> str:
    """The id a document keeps: given in .jsonl, else the path relative to the folder ingested."""
    if source.doc_id:
        return source.doc_id
    path = Path(source.path)
    return path.relative_to(root).as_posix() if root.is_dir() else path.name


def prepare(source: SourceDoc, doc_id: str, size: int, overlap: int) -> Prepared:
    """Clean, describe, normalise and chunk one source."""
    cleaned = clean(source.raw)
    meta = extract_metadata(source.raw, cleaned.text, source.path, source.given or None)
    norm = normalize(cleaned.text)
    content_hash = hashlib.sha256(_INVISIBLE.sub("", norm).encode()).hexdigest()[:16]
    doc = Document(doc_id=doc_id, meta=meta, raw=source.raw, text=cleaned.text, raw_offsets=cleaned.offsets,
                   content_hash=content_hash, sources=[source.path], added=now_iso(), notes=cleaned.notes)
    spans = chunk(doc.text, norm, doc.notes, size=size, overlap=overlap)
    chunks = [Chunk(chunk_id=0, doc_id=doc_id, ordinal=i, heading=s.heading, start=s.start, end=s.end,
                    text=doc.text[s.start : s.end], norm=norm[s.start : s.end], note=s.note)
              for i, s in enumerate(spans)]
    return Prepared(doc, chunks, simhash(norm))


class Ingestor:
    """Applies a batch of files to the index under its write lock; the previous version stays readable."""

    def __init__(self, index_dir: Path, options: IngestOptions):
        self.index_dir = index_dir
        self.options = options

    def run(self, paths: Iterable[Path], progress: Callable[[FileOutcome], None] | None = None) -> IngestReport:
        report = IngestReport()
        with write_lock(self.index_dir):
            writer = IndexWriter(self.index_dir, self.options.chunk_size, self.options.chunk_overlap,
                                 self.options.embedder, rebuild=self.options.rebuild)
            prints = {d: r.fingerprint for d, r in writer.records.items() if r.fingerprint}
            for root in paths:
                for item in iter_sources([Path(root)]):
                    report.outcomes.append(self._one(writer, item, Path(root), prints))
                    if progress:
                        progress(report.outcomes[-1])
            changed = any(o.outcome in ("added", "updated") for o in report.outcomes)
            if changed or writer.sources_changed or self.options.rebuild:
                writer.commit()
        return report

    def _one(self, writer: IndexWriter, item: SourceDoc | ReadFailure, root: Path,
             prints: dict[str, int]) -> FileOutcome:
        if isinstance(item, ReadFailure):
            return FileOutcome(item.path, "failed", detail=item.reason)
        try:
            prepared = prepare(item, doc_id_for(item, root), self.options.chunk_size, self.options.chunk_overlap)
        except Exception as exc:  # one bad file never stops the batch
            return FileOutcome(item.path, "failed", detail=f"{type(exc).__name__}: {exc}")
        return self._apply(writer, prepared, prints)

    def _apply(self, writer: IndexWriter, p: Prepared, prints: dict[str, int]) -> FileOutcome:
        doc, path = p.doc, p.doc.sources[0]
        old = writer.hash_of(doc.doc_id)
        if old == doc.content_hash:
            writer.add_source(doc.doc_id, path)
            return FileOutcome(path, "unchanged", doc.doc_id)
        if old is None:
            twin = writer.find_by_hash(doc.content_hash) or nearest(p.fingerprint, prints)
            if twin:
                writer.add_source(twin, path)
                return FileOutcome(path, "duplicate", twin, detail=f"same speech as {twin}")
        writer.upsert(doc, p.chunks, p.fingerprint)
        prints[doc.doc_id] = p.fingerprint
        return FileOutcome(path, "updated" if old else "added", doc.doc_id)


def remove_document(index_dir: Path, doc_id: str) -> bool:
    """Remove a document from every channel of the index; False when it was not there."""
    with write_lock(index_dir):
        writer = IndexWriter(index_dir)
        if not writer.remove(doc_id):
            return False
        writer.commit()
        return True
