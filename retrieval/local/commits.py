"""Commit points: which segments (and which of their rows' tombstones) make up the index, published atomically.

    <root>/commits/commit-00000042.json   the newest generation is the index; older ones live while held
    <root>/segments/<name>/               immutable segments (see segment)
    <root>/deletes/<name>.<generation>    tombstones: the deleted rows of a segment as of that generation
    <root>/staging/                       work in progress; whatever a crashed run left here is removed

A commit file is written under a temporary name, synced, and renamed: readers see the previous generation or the
new one, never half of one. A reader holds its generation with a shared flock on the commit file; the writer
deletes an old commit (and then the files only it referenced) only when it can take that lock exclusively, so
the files of a generation a reader still holds are never removed. Locks die with their process: a crashed reader
holds nothing.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
from pydantic import BaseModel, Field

from retrieval.models import now_iso

FORMAT_VERSION = 2
_NAME = re.compile(r"commit-(\d{8})\.json")


class SegmentRef(BaseModel):
    name: str
    rows: int
    deletes: str | None = None  # file under deletes/ with this segment's deleted rows
    deleted: int = 0


class Commit(BaseModel):
    """One generation of the index: its settings, its segments, its counts."""

    format_version: int = FORMAT_VERSION
    generation: int = 0
    created: str = ""
    tokenizer: str
    embed_model: str = ""
    embed_dim: int | None = None
    chunk_size: int = 260
    chunk_overlap: int = 1
    next_chunk_id: int = 0
    documents: int = 0
    passages: int = 0
    segments: list[SegmentRef] = Field(default_factory=list)


def commit_path(root: Path, generation: int) -> Path:
    return root / "commits" / f"commit-{generation:08d}.json"


def generations(root: Path) -> list[int]:
    folder = root / "commits"
    if not folder.is_dir():
        return []
    return sorted(int(m.group(1)) for p in folder.iterdir() if (m := _NAME.fullmatch(p.name)))


def latest(root: Path) -> int | None:
    gens = generations(root)
    return gens[-1] if gens else None


def read_commit(root: Path, generation: int) -> Commit:
    return Commit.model_validate_json(commit_path(root, generation).read_text(encoding="utf-8"))


@dataclass
class Held:
    """A generation held open by a reader: its files stay until `release` (or the process ends)."""

    commit: Commit
    handle: IO[bytes] | None

    def release(self) -> None:
        if self.handle is not None:
            self.handle.close()  # closing drops the flock
            self.handle = None


def hold(root: Path) -> Held | None:
    """Open and hold the newest generation; None when the index has no commit yet."""
    while True:
        gen = latest(root)
        if gen is None:
            return None
        try:
            fh = open(commit_path(root, gen), "rb")  # noqa: SIM115 - kept open: the handle is the hold
        except FileNotFoundError:
            continue  # pruned between listing and opening: take the newer one
        fcntl.flock(fh, fcntl.LOCK_SH)
        if os.fstat(fh.fileno()).st_nlink == 0:  # pruned before we got the lock
            fh.close()
            continue
        return Held(Commit.model_validate_json(fh.read()), fh)


def publish(root: Path, commit: Commit) -> None:
    """Make `commit` the index: write, sync, rename (atomic), sync the folder."""
    folder = root / "commits"
    folder.mkdir(parents=True, exist_ok=True)
    commit.created = now_iso()
    tmp = folder / f".commit-{commit.generation:08d}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(commit.model_dump_json(indent=1))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, commit_path(root, commit.generation))
    sync_dir(folder)


def sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_deletes(root: Path, segment: str, generation: int, rows: np.ndarray) -> str:
    """Record a segment's deleted rows (all of them, sorted) as of `generation`; returns the file name."""
    folder = root / "deletes"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{segment}.{generation:08d}"
    tmp = folder / f".{name}.tmp"
    np.asarray(rows, dtype="<u4").tofile(tmp)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, folder / name)
    return name


def read_deletes(root: Path, ref: SegmentRef) -> np.ndarray:
    if not ref.deletes:
        return np.zeros(0, dtype="<u4")
    return np.fromfile(root / "deletes" / ref.deletes, dtype="<u4")


def prune(root: Path) -> int | None:
    """Remove commits no reader holds (never the newest) and every file no remaining commit uses.

    Runs under the writer lock. Returns the oldest generation still kept (None when there is no commit).
    """
    gens = generations(root)
    kept = gens[-1:]
    for gen in gens[:-1]:
        if _remove_if_free(commit_path(root, gen)):
            continue
        kept.append(gen)
    remove_unreferenced(root, [read_commit(root, g) for g in kept])
    return min(kept) if kept else None


def _remove_if_free(path: Path) -> bool:
    try:
        fh = open(path, "rb")  # noqa: SIM115
    except FileNotFoundError:
        return True
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # a reader holds it
        path.unlink()
        return True


def remove_unreferenced(root: Path, commits: list[Commit]) -> None:
    """Delete segments and tombstone files no commit refers to, and the staging leftovers of crashed runs."""
    segments = {s.name for c in commits for s in c.segments}
    deletes = {s.deletes for c in commits for s in c.segments if s.deletes}
    for path in (root / "segments").glob("*") if (root / "segments").is_dir() else []:
        if path.name not in segments:
            shutil.rmtree(path, ignore_errors=True)
    for path in (root / "deletes").glob("*") if (root / "deletes").is_dir() else []:
        if path.name not in deletes:
            path.unlink(missing_ok=True)
    shutil.rmtree(root / "staging", ignore_errors=True)
    for tmp in (root / "commits").glob(".commit-*.tmp") if (root / "commits").is_dir() else []:
        tmp.unlink(missing_ok=True)
