"""The factory: which index backend serves. Nothing above retrieval names a backend's classes.

Only `local` (segments on disk, SQLite documents; embedded, offline) exists so far.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from retrieval.base import IndexWriter, SpeechIndex
from retrieval.embedders.base import Embedder
from retrieval.errors import IndexBusy, RetrievalError

BACKENDS = ("local",)


def _check(backend: str) -> None:
    if backend not in BACKENDS:
        raise RetrievalError(f"unknown index backend {backend!r}; choose one of: {', '.join(BACKENDS)}")


def open_index(root: Path, embedder: Embedder | None = None, backend: str = "local") -> SpeechIndex:
    """The newest committed state of the index, held until closed."""
    _check(backend)
    from retrieval.local.index import LocalIndex

    return LocalIndex.open(root, embedder)


def index_version(root: Path, backend: str = "local") -> tuple[int, int] | None:
    """What identifies the index's newest commit (None before the first one): it changes with every commit, so a
    server that compares it with the one it serves notices commits made by another process (a CLI ingest)."""
    _check(backend)
    from retrieval.local.commits import commit_path, latest

    while (gen := latest(root)) is not None:
        try:
            return gen, commit_path(root, gen).stat().st_ino  # the inode too: a rebuilt folder restarts the count
        except FileNotFoundError:
            continue  # pruned between listing and looking: a newer one exists
    return None


@contextmanager
def write_lock(root: Path, wait: bool = True) -> Iterator[None]:
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


@contextmanager
def open_writer(root: Path, chunk_size: int | None = None, chunk_overlap: int | None = None,
                embedder: Embedder | None = None, rebuild: bool = False, backend: str = "local",
                wait: bool = True) -> Iterator[IndexWriter]:
    """A writer holding the index's write lock; changes are published by its `commit`."""
    _check(backend)
    from retrieval.local.writer import LocalWriter

    with write_lock(root, wait):
        writer = LocalWriter(root, chunk_size, chunk_overlap, embedder, rebuild)
        try:
            yield writer
        finally:
            writer.close()


def passage_encoder(backend: str = "local") -> Callable[[Sequence[tuple[str, str, str]]], Any]:
    """What ingest workers turn a document's passages (normalised text, heading, title) into for `upsert`."""
    _check(backend)
    from retrieval.local.postings import encode_channels

    return encode_channels
