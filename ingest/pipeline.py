"""Ingest files into the index: read, hash, skip what is unchanged, prepare the rest in worker processes, write.

The input is hashed as soon as it is read: a document whose doc_id and input hash are already stored is
unchanged and costs nothing more. The others are prepared (cleaned, described, chunked, segmented, their passages
encoded for the index) by worker processes and streamed back in order, a few batches in flight, to the writer,
which adds each to the pending generation; one commit publishes the run. Memory stays bounded by the batches in
flight and the writer's segment buffer, whatever the input's size.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from ingest.chunking import chunk
from ingest.clean import clean
from ingest.dedupe import Fingerprints, simhash
from ingest.metadata import extract_metadata
from ingest.models import ReadFailure, SourceDoc
from ingest.readers import iter_sources
from ingest.sources import conflict_detail, same_source
from retrieval.backends import open_writer, passage_encoder
from retrieval.base import IndexWriter, StoredDoc
from retrieval.embedders.base import Embedder
from retrieval.models import Chunk, Document, DocumentMeta, now_iso
from retrieval.textnorm import normalize

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
    backend: Any = "local"  # retrieval.backends.Backend (or its name): where the index lives


@dataclass
class Prepared:
    doc: Document  # raw_offsets left empty: `runs` carries them, compressed
    chunks: list[Chunk]
    runs: list[list[int]]  # [text_start, raw_start, length] of each run of copied characters
    fingerprint: int
    raw_hash: str
    encoded: Any  # the passages as the index backend takes them (postings, for the local one)


BATCH = 256  # sources read and hash-checked at a time
JOB = 16  # documents per worker task
PARALLEL_MIN = 128  # fewer changed documents than this in a batch are prepared in-process
IN_FLIGHT = 3  # batches being prepared while the writer applies an earlier one


def doc_id_for(source: SourceDoc, root: Path) -> str:
    """The id a document keeps: given in .jsonl, else the path relative to the folder ingested."""
    if source.doc_id:
        return source.doc_id
    path = Path(source.path)
    return path.relative_to(root).as_posix() if root.is_dir() else path.name


# What preparing a document does (cleaning rules, metadata, chunking): a new version prepares every document again
# on its next ingest, and rewrites only those whose text or metadata came out different.
PREPARE_VERSION = 5  # 3: metadata is compared too, so libraries ingested under 2 get its titles; 4: authors;
# 5: credits (编辑, 通讯员 …)


def raw_hash(source: SourceDoc) -> str:
    """Hash of the input as read (text and given metadata) and of how it is prepared: equal means nothing to do."""
    given = json.dumps(source.given, sort_keys=True, ensure_ascii=False)
    return hashlib.blake2b(f"{PREPARE_VERSION}\0{given}\0{source.raw}".encode(), digest_size=12).hexdigest()


def offset_runs(offsets: list[int]) -> list[list[int]]:
    """Runs [text_start, raw_start, length] of contiguous copies: a compact offset map."""
    if not offsets:
        return []
    arr = np.asarray(offsets, dtype=np.int64)
    starts = np.flatnonzero(np.diff(arr, prepend=arr[0] - 2) != 1)
    lengths = np.diff(np.append(starts, len(arr)))
    return np.stack([starts, arr[starts], lengths], axis=1).tolist()


def prepare(source: SourceDoc, doc_id: str, size: int, overlap: int,
            encoder: Callable[..., Any] | None = None) -> Prepared:
    """Clean, describe, normalise, chunk and segment one source; `encoder` turns passage tokens into index input."""
    cleaned = clean(source.raw)
    meta = extract_metadata(source.raw, cleaned.text, source.path, source.given or None)
    norm = normalize(cleaned.text)
    content_hash = hashlib.sha256(_INVISIBLE.sub("", norm).encode()).hexdigest()[:16]
    doc = Document(doc_id=doc_id, meta=meta, raw=source.raw, text=cleaned.text, raw_offsets=[],
                   content_hash=content_hash, sources=[source.path], added=now_iso(), notes=cleaned.notes)
    spans = chunk(doc.text, norm, doc.notes, size=size, overlap=overlap)
    chunks = [Chunk(chunk_id=0, doc_id=doc_id, ordinal=i, heading=s.heading, start=s.start, end=s.end,
                    text=doc.text[s.start : s.end], norm=norm[s.start : s.end], note=s.note)
              for i, s in enumerate(spans)]
    encoder = encoder or passage_encoder()
    encoded = encoder([(c.norm, c.heading, meta.title) for c in chunks])
    return Prepared(doc, chunks, offset_runs(cleaned.offsets), simhash(norm), raw_hash(source), encoded)


def _prepare_many(jobs: list[tuple[SourceDoc, str, int, int, Callable]]) -> list[Prepared | FileOutcome]:
    """Worker entry point: one bad file never stops the batch."""
    out: list[Prepared | FileOutcome] = []
    for source, doc_id, size, overlap, encoder in jobs:
        try:
            out.append(prepare(source, doc_id, size, overlap, encoder))
        except MemoryError:
            raise  # the process is over its limit: the service's worker reports that (and retries file by file)
        except Exception as exc:
            out.append(FileOutcome(source.path, "failed", detail=f"{type(exc).__name__}: {exc}"))
    return out


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


@dataclass
class _Batch:
    """A batch on its way: outcomes known at once (failures, unchanged) and the preparations under way."""

    slots: list[FileOutcome | int]  # per source in order: its outcome, or its index among the prepared
    work: list[Future | list[Prepared | FileOutcome]]
    ids: list[str]  # the doc ids being prepared

    def prepared(self) -> list[Prepared | FileOutcome]:
        return [x for part in self.work for x in (part.result() if isinstance(part, Future) else part)]


class Ingestor:
    """Applies files to the index under its write lock; readers keep the previous generation until the commit."""

    def __init__(self, index_dir: Path, options: IngestOptions):
        self.index_dir = index_dir
        self.options = options
        self.encoder = passage_encoder(options.backend)
        self._pending: Counter[str] = Counter()  # ids being prepared: a later copy in the input is not skipped

    def run(self, paths: Iterable[Path], progress: Callable[[FileOutcome], None] | None = None) -> IngestReport:
        report = IngestReport()
        opts = self.options
        with open_writer(self.index_dir, opts.chunk_size, opts.chunk_overlap, opts.embedder, opts.rebuild,
                         backend=opts.backend) as writer:
            self._stream(paths, writer, report, progress)  # the workers have ended when it returns
            if writer.changed or opts.rebuild:
                writer.commit()
            writer.maybe_merge()
        return report

    def _stream(self, paths: Iterable[Path], writer: IndexWriter, report: IngestReport,
                progress: Callable[[FileOutcome], None] | None) -> None:
        # Workers are spawned, not forked: the service ingests from a thread, and forking a threaded process is unsafe.
        workers = self.options.workers
        pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn")) if workers > 1 else None
        with pool or nullcontext():
            prints = Fingerprints(writer.fingerprints())
            pending: deque[_Batch] = deque()
            for batch in _batches(paths):
                pending.append(self._start(batch, writer, pool))
                while len(pending) > IN_FLIGHT:
                    self._finish(pending.popleft(), writer, prints, report, progress)
            while pending:
                self._finish(pending.popleft(), writer, prints, report, progress)

    def _start(self, batch: list[tuple[SourceDoc | ReadFailure, Path]], writer: IndexWriter,
               pool: ProcessPoolExecutor | None) -> _Batch:
        """Hash-check a batch and hand what changed to the workers (or prepare it here when small)."""
        ids = [doc_id_for(item, root) if isinstance(item, SourceDoc) else "" for item, root in batch]
        stored = writer.stored([i for i in ids if i])
        slots: list[FileOutcome | int] = []
        jobs = []
        for (item, _), doc_id in zip(batch, ids, strict=True):
            if isinstance(item, ReadFailure):
                slots.append(FileOutcome(item.path, "failed", detail=item.reason))
            elif (doc_id in stored and not self._pending[doc_id] and not self._pending[stored[doc_id].twin or ""]
                  and stored[doc_id].raw_hash == raw_hash(item)):  # (a copy of a document read again in this run
                # is judged after it: that document may no longer hold the text it was copied from)
                slots.append(self._same_as_before(writer, item, doc_id, stored[doc_id]))
            else:
                slots.append(len(jobs))
                jobs.append((item, doc_id, self.options.chunk_size, self.options.chunk_overlap, self.encoder))
                self._pending[doc_id] += 1
        if pool is not None and len(jobs) >= PARALLEL_MIN:
            work: list = [pool.submit(_prepare_many, jobs[i : i + JOB]) for i in range(0, len(jobs), JOB)]
        else:
            work = [_prepare_many(jobs)] if jobs else []
        return _Batch(slots, work, [job[1] for job in jobs])

    @staticmethod
    def _same_as_before(writer: IndexWriter, item: SourceDoc, doc_id: str, stored: StoredDoc) -> FileOutcome:
        """The input is what it was last time: unchanged, or again a copy of the document it duplicated."""
        if stored.twin:
            writer.keep(stored.twin, item.path)
            return FileOutcome(item.path, "duplicate", stored.twin, detail=f"same speech as {stored.twin}")
        writer.keep(doc_id, item.path)
        return FileOutcome(item.path, "unchanged", doc_id)

    def _finish(self, batch: _Batch, writer: IndexWriter, prints: Fingerprints, report: IngestReport,
                progress: Callable[[FileOutcome], None] | None) -> None:
        prepared = batch.prepared()
        self._pending.subtract(batch.ids)
        for slot in batch.slots:
            outcome = slot if isinstance(slot, FileOutcome) else prepared[slot]
            if isinstance(outcome, Prepared):
                outcome = self._apply(writer, outcome, prints)
            report.outcomes.append(outcome)
            if progress:
                progress(outcome)

    def _apply(self, writer: IndexWriter, p: Prepared, prints: Fingerprints) -> FileOutcome:
        doc, path = p.doc, p.doc.sources[0]
        old = writer.stored([doc.doc_id]).get(doc.doc_id)
        if old is not None and old.twin:
            old = None  # an input once kept as a copy, now different: judged afresh
        if old is not None and old.content_hash == doc.content_hash and _same_meta(old.meta, doc.meta):
            writer.keep(doc.doc_id, path, p.raw_hash)
            return FileOutcome(path, "unchanged", doc.doc_id)
        held = writer.sources(doc.doc_id) if old is not None else []
        if old is not None and not self.options.replace and not same_source(held, path):
            return FileOutcome(path, "failed", doc.doc_id, detail=conflict_detail(doc.doc_id, held))
        if old is None:
            twin = writer.find_by_hash(doc.content_hash) or prints.nearest(p.fingerprint)
            if twin:
                writer.keep(twin, path)
                writer.alias(doc.doc_id, p.raw_hash, twin)
                return FileOutcome(path, "duplicate", twin, detail=f"same speech as {twin}")
        writer.upsert(doc, p.chunks, p.runs, p.fingerprint, p.raw_hash, p.encoded)
        prints.add(doc.doc_id, p.fingerprint)
        return FileOutcome(path, "updated" if old else "added", doc.doc_id)


def _same_meta(stored: str, meta: DocumentMeta) -> bool:
    """Is the stored metadata what this ingest read? A document whose text is unchanged is rewritten when a new
    way of reading metadata (a new PREPARE_VERSION) reads it differently; "" (not known) counts as the same."""
    return not stored or DocumentMeta.model_validate_json(stored) == meta


def remove_document(index_dir: Path, doc_id: str, backend: Any = "local") -> bool:
    """Remove a document from every channel of the index; False when it was not there."""
    return bool(remove_documents(index_dir, [doc_id], backend))


def remove_documents(index_dir: Path, doc_ids: list[str], backend: Any = "local") -> list[str]:
    """Remove documents in one new index generation; returns those that were there."""
    with open_writer(index_dir, backend=backend) as writer:
        removed = [d for d in doc_ids if writer.remove(d)]
        if removed:
            writer.commit()
        return removed


def optimize(index_dir: Path, backend: Any = "local") -> None:
    """Merge the index's segments into one, dropping deleted rows for good."""
    with open_writer(index_dir, backend=backend) as writer:
        writer.optimize()
