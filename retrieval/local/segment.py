"""An immutable segment: a folder of passage rows with both lexical channels and, optionally, their vectors.

    segments/<name>/
        meta.json    rows, chunk id range, distinct terms per channel, vector dimension
        chunk_ids    int64, ascending: row r holds passage chunk_ids[r]
        words.* bigrams.*   the lexical channels (see postings)
        dense.faiss  the rows' vectors keyed by chunk id (when a model is configured)

A segment is written once into a staging folder and renamed into place; it never changes afterwards. Deleted
rows are recorded beside it as tombstones (a sorted list of rows per commit that changed them) until a merge
drops them.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.local.postings import Encoded, Postings, merge_channel, write_channel

CHANNELS = ("words", "bigrams")


@dataclass
class NewSegment:
    """What a fresh segment is made of: rows in chunk-id order."""

    chunk_ids: np.ndarray
    channels: dict[str, Encoded]
    vectors: np.ndarray | None = None  # (rows, dim) when a model is configured


def new_name() -> str:
    return f"s-{uuid.uuid4().hex[:12]}"


def write_segment(folder: Path, seg: NewSegment) -> None:
    """Write the files of a new segment into `folder` (a staging folder, renamed into place by the caller)."""
    folder.mkdir(parents=True)
    np.ascontiguousarray(seg.chunk_ids, dtype="<i8").tofile(folder / "chunk_ids")
    terms = {name: write_channel(folder, name, seg.channels[name]) for name in CHANNELS}
    dim = None
    if seg.vectors is not None:
        from retrieval.dense import DenseIndex  # faiss only when vectors are configured

        dense = DenseIndex.create(seg.vectors.shape[1])
        dense.add(seg.chunk_ids, seg.vectors)
        dense.save(folder)
        dim = dense.dim
    _write_meta(folder, seg.chunk_ids, terms, dim)


def _write_meta(folder: Path, chunk_ids: np.ndarray, terms: dict[str, int], dim: int | None) -> None:
    meta = {"rows": len(chunk_ids), "first": int(chunk_ids[0]) if len(chunk_ids) else 0,
            "last": int(chunk_ids[-1]) if len(chunk_ids) else -1, "terms": terms, "dim": dim}
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


class Segment:
    """A segment opened for reading; its arrays are memory-mapped."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.name = folder.name
        self.meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        path = folder / "chunk_ids"
        self.chunk_ids = np.memmap(path, dtype="<i8", mode="r") if self.meta["rows"] else np.zeros(0, "<i8")
        self.channels = {name: Postings(folder, name) for name in CHANNELS}

    @property
    def n_rows(self) -> int:
        return int(self.meta["rows"])

    @property
    def dim(self) -> int | None:
        return self.meta.get("dim")

    def rows_of(self, chunk_ids: np.ndarray) -> np.ndarray:
        """The rows holding these chunk ids (ids not in this segment are left out)."""
        if not self.n_rows or not len(chunk_ids):
            return np.zeros(0, dtype=np.int64)
        ids = np.asarray(chunk_ids, dtype=np.int64)
        ids = ids[(ids >= self.meta["first"]) & (ids <= self.meta["last"])]
        pos = np.minimum(np.searchsorted(self.chunk_ids, ids), self.n_rows - 1)
        return np.unique(pos[self.chunk_ids[pos] == ids])

    def dense(self):  # -> DenseIndex | None
        if not self.dim:
            return None
        from retrieval.dense import DenseIndex

        return DenseIndex.load(self.folder, mmap=True)


def merge_segments(folder: Path, parts: list[tuple[Segment, np.ndarray]], with_vectors: bool) -> None:
    """Write one segment holding the kept rows of `parts`, in chunk-id order: deleted rows are gone for good."""
    folder.mkdir(parents=True)
    kept_ids = [np.asarray(s.chunk_ids)[keep] for s, keep in parts]
    all_ids = np.concatenate(kept_ids) if kept_ids else np.zeros(0, dtype=np.int64)
    order = np.argsort(all_ids, kind="stable")
    rank = np.empty(len(all_ids), dtype=np.int64)
    rank[order] = np.arange(len(all_ids))
    new_rows, offset = [], 0
    for s, keep in parts:  # row r of a part -> its place among all kept rows by chunk id, -1 if dropped
        renumber = np.full(s.n_rows, -1, dtype=np.int64)
        renumber[keep] = rank[offset : offset + int(keep.sum())]
        offset += int(keep.sum())
        new_rows.append(renumber)
    chunk_ids = all_ids[order]
    np.ascontiguousarray(chunk_ids, dtype="<i8").tofile(folder / "chunk_ids")
    terms = {name: merge_channel(folder, name, [(s.channels[name], keep) for s, keep in parts], new_rows,
                                 len(chunk_ids)) for name in CHANNELS}
    dim = None
    if with_vectors and parts and all(s.dim for s, _ in parts):
        from retrieval.dense import DenseIndex

        dense = DenseIndex.create(parts[0][0].dim)
        for s, keep in parts:
            ids, vectors = s.dense().vectors()
            wanted = np.isin(ids, np.asarray(s.chunk_ids)[keep])
            dense.add(ids[wanted], vectors[wanted])
        dense.save(folder)
        dim = dense.dim
    _write_meta(folder, chunk_ids, terms, dim)
