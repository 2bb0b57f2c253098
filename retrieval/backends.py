"""The factory: which index backend serves. Nothing above retrieval names a backend's classes.

`local`: segments on disk and SQLite documents in the index folder (embedded, offline, the default).
`milvus`: collections on a Milvus server or a milvus-lite file (retrieval.milvus); the index folder then only
holds the write lock.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrieval.base import IndexWriter, SpeechIndex
from retrieval.embedders.base import Embedder
from retrieval.errors import IndexBusy, RetrievalError

BACKENDS = ("local", "milvus")


@dataclass(frozen=True)
class Backend:
    """Which backend holds the index, and where: what the composition root builds from the settings.

    Attributes:
        name: "local" or "milvus".
        milvus_uri: a milvus-lite file path (ending .db) or http://host:19530.
        milvus_token: "user:password" or an API key, when the server wants one.
        collection: prefix of the index's Milvus collections (one server can hold several indexes).
        bm25: "ours" (our tokens, BM25 weights computed here) or "engine" (Milvus's jieba analyzer and BM25
            function for the word channel; kept to measure the difference, see benchmarks/README.md).
    """

    name: str = "local"
    milvus_uri: str = ""
    milvus_token: str = ""
    collection: str = "speechbot"
    bm25: str = "ours"


def _check(backend: Backend | str) -> Backend:
    b = Backend(backend) if isinstance(backend, str) else backend
    if b.name not in BACKENDS:
        raise RetrievalError(f"unknown index backend {b.name!r}; choose one of: {', '.join(BACKENDS)}")
    if b.name == "milvus" and not b.milvus_uri:
        raise RetrievalError("the milvus backend needs a URI: set SPEECHBOT_MILVUS_URI (a file.db or http://host:19530)")
    return b


def open_index(root: Path, embedder: Embedder | None = None, backend: Backend | str = "local") -> SpeechIndex:
    """The newest committed state of the index, held until closed."""
    b = _check(backend)
    if b.name == "milvus":
        from retrieval.milvus.index import MilvusIndex

        return MilvusIndex.open(b, embedder)
    from retrieval.local.index import LocalIndex

    return LocalIndex.open(root, embedder)


def index_version(root: Path, backend: Backend | str = "local") -> tuple[int, int] | None:
    """What identifies the index's newest commit (None before the first one): it changes with every commit, so a
    server that compares it with the one it serves notices commits made by another process (a CLI ingest, another
    replica's job)."""
    b = _check(backend)
    if b.name == "milvus":
        from retrieval.milvus.commits import version

        return version(b)
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
                embedder: Embedder | None = None, rebuild: bool = False, backend: Backend | str = "local",
                wait: bool = True) -> Iterator[IndexWriter]:
    """A writer holding the index's write lock (a file lock in `root`, for either backend); changes are published
    by its `commit`."""
    b = _check(backend)
    with write_lock(root, wait):
        writer = _writer(root, chunk_size, chunk_overlap, embedder, rebuild, b)
        try:
            yield writer
        finally:
            writer.close()


def _writer(root: Path, chunk_size: int | None, chunk_overlap: int | None, embedder: Embedder | None,
            rebuild: bool, b: Backend) -> IndexWriter:
    if b.name == "milvus":
        from retrieval.milvus.writer import MilvusWriter

        return MilvusWriter(b, chunk_size, chunk_overlap, embedder, rebuild)
    from retrieval.local.writer import LocalWriter

    return LocalWriter(root, chunk_size, chunk_overlap, embedder, rebuild)


def passage_encoder(backend: Backend | str = "local") -> Callable[[Sequence[tuple[str, str, str]]], Any]:
    """What ingest workers turn a document's passages (normalised text, heading, title) into for `upsert`: both
    backends take the local postings (the Milvus writer turns their term keys into sparse vector dimensions)."""
    _check(backend)
    from retrieval.local.postings import encode_channels

    return encode_channels
