"""Shared fixtures."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from retrieval.backends import Backend, open_index
from retrieval.base import SpeechIndex
from tests import peers

# The sample corpus lives outside the repo (../shared/corpus) and is never copied into it.
CORPUS_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The real sample corpus folder, or skip when this checkout has none beside it."""
    if not CORPUS_DIR.is_dir() or not any(CORPUS_DIR.glob("*.txt")):
        pytest.skip(f"sample corpus not found at {CORPUS_DIR.resolve()}")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def corpus_texts(corpus_dir: Path) -> dict[str, str]:
    """File stem -> raw text of each corpus file."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(corpus_dir.glob("*.txt"))}


# Real peers (tests/peers.py): started once per session when a test asks for them, skipped when not installed.
@pytest.fixture(scope="session")
def redis_server_url() -> Iterator[str]:
    with peers.redis_server() as url:
        yield url


@pytest.fixture
def redis_url(redis_server_url: str) -> str:
    """The session's redis-server, emptied for this test."""
    import redis

    with redis.Redis.from_url(redis_server_url) as client:
        client.flushall()
    return redis_server_url


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    with peers.postgres_server() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server_url: str) -> str:
    """An empty database of its own for this test, on the session's PostgreSQL server."""
    return peers.fresh_database(postgres_server_url, f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on the default SQLite file and on a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'speechbot.sqlite3'}"
    return request.getfixturevalue("postgres_url")


# --- the index backends: interface, search and ingest tests run on each -------------------------------------------
BACKENDS = ("local", "milvus")


@pytest.fixture(scope="session")
def milvus_uri(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One milvus-lite file (one in-process server) for the session; each test gets its own collections."""
    return str(tmp_path_factory.mktemp("milvus") / "milvus.db")


def make_backend(name: str, milvus_uri: str) -> Backend:
    # a fresh prefix each time (conftest may be imported twice, as `conftest` and `tests.conftest`: no counter)
    return Backend("milvus", milvus_uri, collection=f"t{uuid.uuid4().hex[:12]}") if name == "milvus" else Backend()


@dataclass
class Library:
    """An index on one backend, as ingest and the readers reach it (the folder holds the write lock either way)."""

    root: Path
    backend: Backend

    def ingest(self, *paths: Path, **options):
        from ingest.pipeline import IngestOptions, Ingestor

        return Ingestor(self.root, IngestOptions(backend=self.backend, **options)).run(list(paths))

    def open(self, embedder=None) -> SpeechIndex:
        return open_index(self.root, embedder, self.backend)

    def remove(self, doc_id: str) -> bool:
        from ingest.pipeline import remove_document

        return remove_document(self.root, doc_id, self.backend)


@pytest.fixture(params=BACKENDS)
def lib(request: pytest.FixtureRequest, tmp_path: Path, milvus_uri: str) -> Library:
    return Library(tmp_path / "index", make_backend(request.param, milvus_uri))


@pytest.fixture(scope="module", params=BACKENDS)
def module_lib(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, milvus_uri: str) -> Library:
    return Library(tmp_path_factory.mktemp(request.param) / "index", make_backend(request.param, milvus_uri))
