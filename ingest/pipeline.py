"""Ingest files into the index: read, clean, extract metadata, dedupe, chunk, write a new version atomically."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from ingest.chunking import chunk
from ingest.clean import clean
from ingest.dedupe import Fingerprints, simhash
from ingest.metadata import extract_metadata
from ingest.models import ReadFailure, SourceDoc
from ingest.readers import iter_sources
from ingest.sources import conflict_detail, same_source
from retrieval.embedders.base import Embedder
from retrieval.models import Chunk, Document
from retrieval.passages import passage_words
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
    workers: int = 1  # processes preparing documents (cleaning, metadata, chunking, segmentation)
    replace: bool = False  # a doc_id already ingested from another source may be replaced (else: failed)


@dataclass
class Prepared:
    doc: Document
    chunks: list[Chunk]
    fingerprint: int
    words: list[list[str]]  # each passage's word tokens for the lexical index


BATCH = 256  # sources handed to the worker processes at a time
PARALLEL_MIN = 128  # fewer sources than this are prepared in-process: starting workers costs seconds


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
    words = [passage_words(c.norm, c.heading, meta.title) for c in chunks]
    return Prepared(doc, chunks, simhash(norm), words)


def _prepare_item(job: tuple[SourceDoc, str, int, int]) -> Prepared | FileOutcome:
    """Worker entry point: one bad file never stops the batch."""
    source, doc_id, size, overlap = job
    try:
        return prepare(source, doc_id, size, overlap)
    except Exception as exc:
        return FileOutcome(source.path, "failed", detail=f"{type(exc).__name__}: {exc}")


def _batches(paths: Iterable[Path]) -> Iterator[list[tuple[SourceDoc | ReadFailure, Path]]]:
    batch: list[tuple[SourceDoc | ReadFailure, Path]] = []
    for root in paths:
        for item in iter_sources([Path(root)]):
            batch.append((item, Path(root)))
            if len(batch) == BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


class Ingestor:
    """Applies a batch of files to the index under its write lock; the previous version stays readable."""

    def __init__(self, index_dir: Path, options: IngestOptions):
        self.index_dir = index_dir
        self.options = options

    def run(self, paths: Iterable[Path], progress: Callable[[FileOutcome], None] | None = None) -> IngestReport:
        report = IngestReport()
        # Workers are spawned, not forked: the service ingests from a thread, and forking a threaded process is unsafe.
        workers = self.options.workers
        pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn")) if workers > 1 else None
        with write_lock(self.index_dir), pool or nullcontext():
            writer = IndexWriter(self.index_dir, self.options.chunk_size, self.options.chunk_overlap,
                                 self.options.embedder, rebuild=self.options.rebuild)
            prints = Fingerprints({d: r.fingerprint for d, r in writer.records.items() if r.fingerprint})
            for batch in _batches(paths):
                for outcome in self._prepared(batch, pool):
                    if isinstance(outcome, Prepared):
                        outcome = self._apply(writer, outcome, prints)
                    report.outcomes.append(outcome)
                    if progress:
                        progress(outcome)
            changed = any(o.outcome in ("added", "updated") for o in report.outcomes)
            if changed or writer.sources_changed or self.options.rebuild:
                writer.commit()
        return report

    def _prepared(self, batch: list[tuple[SourceDoc | ReadFailure, Path]],
                  pool: ProcessPoolExecutor | None) -> Iterator[Prepared | FileOutcome]:
        """Prepare a batch in document order, in the worker processes when there are enough documents."""
        size, overlap = self.options.chunk_size, self.options.chunk_overlap
        jobs = [(item, doc_id_for(item, root), size, overlap) for item, root in batch if isinstance(item, SourceDoc)]
        parallel = pool is not None and len(jobs) >= PARALLEL_MIN
        done = iter(pool.map(_prepare_item, jobs, chunksize=8) if parallel else map(_prepare_item, jobs))
        for item, _ in batch:
            yield FileOutcome(item.path, "failed", detail=item.reason) if isinstance(item, ReadFailure) else next(done)

    def _apply(self, writer: IndexWriter, p: Prepared, prints: Fingerprints) -> FileOutcome:
        doc, path = p.doc, p.doc.sources[0]
        old = writer.hash_of(doc.doc_id)
        if old == doc.content_hash:
            writer.add_source(doc.doc_id, path)
            return FileOutcome(path, "unchanged", doc.doc_id)
        held = writer.records[doc.doc_id].sources if old is not None else []
        if old is not None and not self.options.replace and not same_source(held, path):
            return FileOutcome(path, "failed", doc.doc_id, detail=conflict_detail(doc.doc_id, held))
        if old is None:
            twin = writer.find_by_hash(doc.content_hash) or prints.nearest(p.fingerprint)
            if twin:
                writer.add_source(twin, path)
                return FileOutcome(path, "duplicate", twin, detail=f"same speech as {twin}")
        writer.upsert(doc, p.chunks, p.fingerprint, p.words)
        prints.add(doc.doc_id, p.fingerprint)
        return FileOutcome(path, "updated" if old else "added", doc.doc_id)


def remove_document(index_dir: Path, doc_id: str) -> bool:
    """Remove a document from every channel of the index; False when it was not there."""
    return bool(remove_documents(index_dir, [doc_id]))


def remove_documents(index_dir: Path, doc_ids: list[str]) -> list[str]:
    """Remove documents in one new index version; returns those that were there."""
    with write_lock(index_dir):
        writer = IndexWriter(index_dir)
        removed = [d for d in doc_ids if writer.remove(d)]
        if removed:
            writer.commit()
        return removed
