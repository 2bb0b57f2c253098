"""The index interface: everything above retrieval's storage (search, rerank, the bot, CLI, API) reads an index
through `SpeechIndex` and ingest writes one through `IndexWriter`, whatever the backend (see retrieval.backends).

Scores a channel returns are 0-1: lexical BM25 divided by the score of a passage holding each query term once at
average length (capped at 1), dense cosine mapped by (cos + 1) / 2.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple, Protocol

from retrieval.models import Chunk, DocRecord, Document, Filters, Passage

LEXICAL, BIGRAM, DENSE = "lexical", "bigram", "dense"


class Candidate(NamedTuple):
    chunk_id: int
    score: float  # 0-1


class TermStats(Protocol):
    """Document frequencies of one lexical channel (term weights: rare words matter more)."""

    n_docs: int

    def df(self, token: str) -> int: ...

    def idf(self, token: str) -> float: ...


class StoredDoc(NamedTuple):
    raw_hash: str  # of the input as read (text and given metadata): unchanged input is skipped before any work
    content_hash: str  # of the cleaned, normalised text
    twin: str | None = None  # the input was kept as a near-duplicate of this document
    meta: str = ""  # the stored metadata as JSON ("" where the backend does not say)


class SpeechIndex(Protocol):
    """A read-only view of one committed state of the index; it stays the same while it is open."""

    words: TermStats  # the word channel's statistics

    def __len__(self) -> int: ...  # passages

    @property
    def n_documents(self) -> int: ...

    @property
    def channels(self) -> tuple[str, ...]: ...  # LEXICAL, BIGRAM, and DENSE when vectors can be searched

    def search(self, channel: str, query: Sequence[str] | str, k: int,
               filters: Filters | None = None) -> list[Candidate]:
        """The k best passages of one channel: lexical channels take tokens, the dense one the question text."""
        ...

    def passages(self, chunk_ids: Sequence[int]) -> dict[int, Passage]: ...

    def next_passage(self, chunk_id: int) -> Passage | None: ...  # the one after it in its document

    def documents(self) -> Iterator[DocRecord]: ...

    def record(self, doc_id: str) -> DocRecord: ...  # UnknownDocument when absent

    def document(self, doc_id: str) -> Document: ...  # with its texts; UnknownDocument when absent

    def doc_passages(self, doc_id: str) -> list[Chunk]: ...  # in document order

    def docs_containing(self, needles: Sequence[str]) -> set[str]: ...  # by normalised passage text

    def close(self) -> None: ...


class IndexWriter(Protocol):
    """Changes to an index, published together by `commit`; readers keep their state until they reopen."""

    changed: bool  # something to commit

    def stored(self, doc_ids: Sequence[str]) -> dict[str, StoredDoc]: ...

    def sources(self, doc_id: str) -> list[str]: ...  # where the stored document came from ([] when absent)

    def find_by_hash(self, content_hash: str) -> str | None: ...

    def fingerprints(self) -> dict[str, int]: ...

    def upsert(self, doc: Document, chunks: Sequence[Chunk], runs: list, fingerprint: int, raw_hash: str,
               encoded: Any) -> None:
        """Add or replace a document; `encoded` is what the backend's passage encoder made of its passages."""
        ...

    def keep(self, doc_id: str, source: str, raw_hash: str | None = None) -> None: ...  # unchanged: note source

    def alias(self, doc_id: str, raw_hash: str, twin: str) -> None: ...  # an input that is a copy of `twin`

    def remove(self, doc_id: str) -> bool: ...

    def commit(self) -> int: ...

    def maybe_merge(self) -> int: ...  # what the backend's merge policy asks for, after a commit

    def optimize(self) -> None: ...  # merge everything that can be merged

    def close(self) -> None: ...
