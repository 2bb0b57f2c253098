"""Write the next generation of a local index: new passages go to new segments, replaced ones become tombstones.

The cost of a commit is the change: the passages added are encoded once into a new segment (flushed whenever the
buffer holds FLUSH_POSTINGS postings, so memory stays bounded whatever the ingest's size), the rows removed are
recorded as tombstones of the segments holding them, documents go to SQLite, and a commit file of a few hundred
bytes publishes it all. Nothing already indexed is rewritten, except by a merge.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from retrieval.base import StoredDoc
from retrieval.embedders.base import Embedder
from retrieval.local import commits
from retrieval.local import merge as merge_policy
from retrieval.local.commits import Commit, SegmentRef
from retrieval.local.docwriter import DocWriter
from retrieval.local.layout import check_compatible, clear_old_format, require_new_format
from retrieval.local.postings import Encoded
from retrieval.local.segment import CHANNELS, NewSegment, Segment, merge_segments, new_name, write_segment
from retrieval.models import Chunk, Document
from retrieval.passages import dense_text
from retrieval.tokenize import terms_version

log = logging.getLogger("speechbot")
FLUSH_POSTINGS = 12_000_000  # buffered postings before a segment is written (about 200 MB while building)
EMBED_BATCH = 256
SAVE_DOCS = 2_000  # documents written to SQLite between its commits during a long ingest


class LocalWriter:
    """Accumulates changes as the pending generation and publishes them with `commit` (caller holds the lock).

    Args:
        root: the index folder.
        chunk_size, chunk_overlap: recorded in the commit (kept from the index when None).
        embedder: when given, new passages get vectors in their segment.
        rebuild: the new generation starts empty (the previous one stays readable until pruned).
    """

    def __init__(self, root: Path, chunk_size: int | None = None, chunk_overlap: int | None = None,
                 embedder: Embedder | None = None, rebuild: bool = False):
        self.root = root
        self.embedder = embedder
        root.mkdir(parents=True, exist_ok=True)
        clear_old_format(root) if rebuild else require_new_format(root)
        last = commits.latest(root)
        base = commits.read_commit(root, last) if last is not None else None
        if base is not None and not rebuild:
            check_compatible(base, root, terms_version(), embedder.name if embedder else None)
        commits.remove_unreferenced(root, [commits.read_commit(root, g) for g in commits.generations(root)])
        self.docs = DocWriter(root, (last or 0) + 1)
        self.docs.rollback_unpublished(last or 0)
        self.base = base if not rebuild else None
        self.commit_info = self._next_commit(base, chunk_size, chunk_overlap, rebuild)
        if rebuild:
            self.docs.retire_all()
        self._segments = {s.name: s for s in (self.base.segments if self.base else [])}
        self._open: dict[str, Segment] = {}
        self._dead: dict[str, set[int]] = {}  # segment -> rows deleted in this generation
        self._buffer: list[tuple[np.ndarray, dict[str, Encoded], list[str]]] = []
        self._buffered = 0
        self._buffer_dead: set[int] = set()  # chunk ids replaced while still in the buffer
        self.changed = rebuild
        self._looked_up: dict = {}
        self._unsaved = 0

    def _next_commit(self, base: Commit | None, size: int | None, overlap: int | None, rebuild: bool) -> Commit:
        emb = self.embedder
        keep = base is not None and not rebuild
        return Commit(
            generation=self.docs.g, tokenizer=terms_version(),
            chunk_size=size if size is not None else (base.chunk_size if base else 260),
            chunk_overlap=overlap if overlap is not None else (base.chunk_overlap if base else 1),
            embed_model=emb.name if emb else (base.embed_model if keep else ""),
            embed_dim=emb.dim if emb else (base.embed_dim if keep else None),
            next_chunk_id=base.next_chunk_id if base else 0,  # counts change with each upsert and remove
            documents=base.documents if keep else 0, passages=base.passages if keep else 0)

    # --- what ingest asks --------------------------------------------------------------------------------------

    def stored(self, doc_ids: Sequence[str]) -> dict[str, StoredDoc]:
        self._looked_up = self.docs.live(doc_ids)  # `keep` of these ids needs no second query
        return {d: StoredDoc(v.raw_hash, v.content_hash, v.twin, v.meta) for d, v in self._looked_up.items()}

    def sources(self, doc_id: str) -> list[str]:
        """Every path or URL the stored document came from (a doc_id from another source is a conflict)."""
        live = self._looked_up.get(doc_id) or self.docs.live([doc_id]).get(doc_id)
        return [] if live is None or live.twin else self.docs.sources(live.doc_key)

    def find_by_hash(self, content_hash: str) -> str | None:
        return self.docs.by_hash(content_hash)

    def fingerprints(self) -> dict[str, int]:
        return dict(self.docs.fingerprints())

    # --- changes -----------------------------------------------------------------------------------------------

    def upsert(self, doc: Document, chunks: Sequence[Chunk], runs: list, fingerprint: int, raw_hash: str,
               channels: dict[str, Encoded]) -> None:
        """Add a document or replace the stored one (its passages become tombstones)."""
        self.remove(doc.doc_id)
        first = self.commit_info.next_chunk_id
        ids = np.arange(first, first + len(chunks), dtype=np.int64)
        self.commit_info.next_chunk_id = first + len(chunks)
        chunks = [c.model_copy(update={"chunk_id": int(i), "doc_id": doc.doc_id}) for c, i in zip(chunks, ids,
                                                                                                  strict=True)]
        self.docs.insert(doc, chunks, runs, fingerprint, raw_hash)
        self.commit_info.documents += 1
        self.commit_info.passages += len(chunks)
        texts = [dense_text(c.text, c.heading, doc.meta.title) for c in chunks] if self.embedder else []
        self._buffer.append((ids, channels, texts))
        self._buffered += sum(len(e.keys) for e in channels.values())
        self.changed = True
        self._unsaved += 1
        if self._buffered >= FLUSH_POSTINGS:
            self.flush()
        elif self._unsaved >= SAVE_DOCS:
            self.docs.flush()  # rows of an unpublished generation: invisible to readers, and the WAL stays small
            self._unsaved = 0

    def keep(self, doc_id: str, source: str, raw_hash: str | None = None) -> None:
        """The stored document is unchanged: record where it came from again."""
        live = self._looked_up.get(doc_id) or self.docs.live([doc_id]).get(doc_id)
        if live is None or live.twin:
            return
        if self.docs.add_source(live.doc_key, source):
            self.changed = True
        if raw_hash and raw_hash != live.raw_hash:
            self.docs.set_raw_hash(live.doc_key, raw_hash)

    def alias(self, doc_id: str, raw_hash: str, twin: str) -> None:
        self.docs.alias(doc_id, raw_hash, twin)
        self.changed = True

    def remove(self, doc_id: str) -> bool:
        self._looked_up.pop(doc_id, None)
        self.docs.drop_alias(doc_id)
        live = self.docs.live([doc_id]).get(doc_id)
        if live is None:
            return False
        gone = self.docs.retire(live.doc_key)
        self.docs.drop_copies(doc_id)  # a copy of the old text is no copy of what replaces it
        self._looked_up = {k: v for k, v in self._looked_up.items() if v.twin != doc_id}
        self.commit_info.documents -= 1
        self.commit_info.passages -= len(gone)
        self._tombstone(gone)
        self.changed = True
        return True

    def _tombstone(self, chunk_ids: np.ndarray) -> None:
        left = set(chunk_ids.tolist())
        for name in self._segments:
            seg = self._segment(name)
            if not left or not seg.n_rows or max(left) < seg.meta["first"] or min(left) > seg.meta["last"]:
                continue
            rows = seg.rows_of(np.fromiter(left, dtype=np.int64))
            if len(rows):
                self._dead.setdefault(name, set()).update(rows.tolist())
                left -= set(np.asarray(seg.chunk_ids)[rows].tolist())
        self._buffer_dead |= left  # added earlier in this run, not flushed yet

    def _segment(self, name: str) -> Segment:
        if name not in self._open:
            self._open[name] = Segment(self.root / "segments" / name)
        return self._open[name]

    def flush(self) -> None:
        """Write the buffered passages as a new segment (not yet part of any commit)."""
        if not self._buffer:
            return
        ids = np.concatenate([b[0] for b in self._buffer])
        channels = {ch: Encoded.concat([b[1][ch] for b in self._buffer]) for ch in CHANNELS}
        vectors = self._embed([t for b in self._buffer for t in b[2]]) if self.embedder else None
        self._buffer, self._buffered = [], 0
        self.docs.flush()
        self._unsaved = 0
        name = new_name()
        staged = self.root / "staging" / name
        write_segment(staged, NewSegment(ids, channels, vectors))
        (self.root / "segments").mkdir(exist_ok=True)
        _sync_files(staged)
        os.replace(staged, self.root / "segments" / name)
        self._segments[name] = SegmentRef(name=name, rows=len(ids))
        dead = np.isin(ids, np.fromiter(self._buffer_dead, dtype=np.int64)) if self._buffer_dead else None
        if dead is not None and dead.any():
            self._dead[name] = set(np.flatnonzero(dead).tolist())

    def _embed(self, texts: list[str]) -> np.ndarray:
        parts = [self.embedder.embed_passages(texts[i : i + EMBED_BATCH]) for i in range(0, len(texts), EMBED_BATCH)]
        return np.concatenate(parts) if parts else np.zeros((0, self.embedder.dim), dtype=np.float32)

    # --- publishing --------------------------------------------------------------------------------------------

    def commit(self) -> int:
        """Publish the pending generation: segments and tombstones are on disk, then rows, then the commit file."""
        self.flush()
        info = self.commit_info
        refs = []
        for name, ref in self._segments.items():
            if name in self._dead:
                rows = np.union1d(commits.read_deletes(self.root, ref), np.fromiter(self._dead[name], dtype=np.int64))
                if len(rows) == ref.rows:
                    continue  # every row deleted: the segment leaves the index
                ref = SegmentRef(name=name, rows=ref.rows, deleted=len(rows),
                                 deletes=commits.write_deletes(self.root, name, info.generation, rows))
            refs.append(ref)
        info.segments = self._vectors_in_step(refs)
        self.docs.flush()
        commits.publish(self.root, info)
        self._after_publish()
        return info.generation

    def _vectors_in_step(self, refs: list[SegmentRef]) -> list[SegmentRef]:
        """The index has a model's vectors only if every segment has them: add them, or stop claiming them."""
        info = self.commit_info
        if self.embedder is None:
            if info.embed_model and any(self._segment(r.name).dim is None for r in refs):
                log.warning("no embedding model configured: the index's vectors are dropped (search is lexical)")
                info.embed_model, info.embed_dim = "", None
            return refs
        return [self._with_vectors(r) if self._segment(r.name).dim is None else r for r in refs]

    def _with_vectors(self, ref: SegmentRef) -> SegmentRef:
        """A copy of a segment (its files hard-linked) with the vectors of its rows: a model configured for an
        index built without one embeds the passages already there once."""
        seg = self._segment(ref.name)
        ids = np.asarray(seg.chunk_ids)
        vectors = self._embed(self.docs.dense_texts(ids))
        name = new_name()
        staged = self.root / "staging" / name
        staged.mkdir(parents=True)
        for f in seg.folder.iterdir():
            if f.name != "meta.json":
                os.link(f, staged / f.name)
        from retrieval.dense import DenseIndex

        dense = DenseIndex.create(vectors.shape[1])
        dense.add(ids, vectors)
        dense.save(staged)
        (staged / "meta.json").write_text(json.dumps({**seg.meta, "dim": dense.dim}), encoding="utf-8")
        _sync_files(staged)
        os.replace(staged, self.root / "segments" / name)
        deletes = commits.read_deletes(self.root, ref)
        return SegmentRef(name=name, rows=ref.rows, deleted=len(deletes), deletes=commits.write_deletes(
            self.root, name, self.commit_info.generation, deletes) if len(deletes) else None)

    def _after_publish(self) -> None:
        """Start the next pending generation from the one just published; drop what no one can see any more."""
        published = self.commit_info
        self.base = published.model_copy(deep=True)
        self._dead.clear()
        self._buffer_dead.clear()
        self.docs.g = published.generation + 1
        self.commit_info = published.model_copy(update={"generation": self.docs.g, "segments": []})
        self._segments = {s.name: s for s in published.segments}
        oldest = commits.prune(self.root)
        if oldest is not None:
            self.docs.collect_garbage(oldest)
        self.changed = False

    # --- merging ------------------------------------------------------------------------------------------------

    def merge(self, names: list[str]) -> int:
        """Fold the named segments into one, without their deleted rows, and publish that as a generation."""
        if self.changed:
            self.commit()
        refs = {s.name: s for s in self.base.segments}
        parts = []
        for name in names:
            seg = self._segment(name)
            keep = np.ones(seg.n_rows, dtype=bool)
            keep[commits.read_deletes(self.root, refs[name])] = False
            parts.append((seg, keep))
        name = new_name()
        staged = self.root / "staging" / name
        merge_segments(staged, parts, with_vectors=bool(self.commit_info.embed_model))
        _sync_files(staged)
        os.replace(staged, self.root / "segments" / name)
        rows = sum(int(keep.sum()) for _, keep in parts)
        self._segments = {n: r for n, r in self._segments.items() if n not in names}
        if rows:
            self._segments[name] = SegmentRef(name=name, rows=rows)
        self.changed = True
        return self.commit()

    def maybe_merge(self) -> int:
        """Apply the merge policy until it has nothing to do; returns how many merges ran."""
        done = 0
        while names := merge_policy.pick(list(self._segments.values())):
            self.merge(names)
            done += 1
        return done

    def optimize(self) -> None:
        """Merge every segment into one, dropping every deleted row."""
        if self.changed:
            self.commit()
        refs = list(self._segments.values())
        if len(refs) > 1 or any(r.deleted for r in refs):
            self.merge([r.name for r in refs])

    def close(self) -> None:
        self.docs.close()


def _sync_files(folder: Path) -> None:
    for p in folder.iterdir():
        with open(p, "rb") as fh:
            os.fsync(fh.fileno())
