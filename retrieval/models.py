"""Typed records shared by ingest (which writes them) and retrieval/bot (which read them)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


def now_iso() -> str:
    """The current UTC time to the second, as stored in documents, commits and jobs."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class DocumentMeta(BaseModel):
    """What the text (or a .jsonl record) says about a document."""

    title: str = ""
    speaker: str = ""
    date: dt.date | None = None
    place: str = ""
    places: list[str] = Field(default_factory=list)
    source: str = ""
    author: str = ""  # who wrote it: the 作者 line, else the reporters its byline credits (周明远、林海川)
    credits: dict[str, str] = Field(default_factory=dict)  # 编辑 -> 王明: whom the page credits, by label
    year: int | None = None  # reference year for 今年/去年


class Document(BaseModel):
    """One ingested document: the original text, the cleaned display text and its normalised twin."""

    doc_id: str
    meta: DocumentMeta
    raw: str  # the decoded input, untouched
    text: str  # cleaned, original script: what citations quote
    raw_offsets: list[int]  # raw_offsets[i] = index in `raw` of text[i]
    content_hash: str
    sources: list[str] = Field(default_factory=list)  # every path or URL this content came from
    added: str = ""  # ISO timestamp
    notes: list[tuple[int, int]] = Field(default_factory=list)  # editor's-note spans in `text`


class Chunk(BaseModel):
    """A passage: a run of whole sentences from one section of a document."""

    chunk_id: int
    doc_id: str
    ordinal: int  # position in the document
    heading: str  # heading path, " > " joined
    start: int  # offsets into Document.text
    end: int
    text: str  # Document.text[start:end], original script
    norm: str  # normalised text (simplified, half-width), same length as `text`
    note: bool = False  # an editor's note, kept but marked


class DocRecord(BaseModel):
    """A document's summary as an index lists it (no texts)."""

    doc_id: str
    meta: DocumentMeta
    content_hash: str
    sources: list[str] = Field(default_factory=list)
    added: str = ""
    n_chunks: int = 0
    fingerprint: int = 0  # 64-bit SimHash of the normalised text, for near-duplicate checks


class Passage(BaseModel):
    """A passage with its document's metadata: what a hit is made of."""

    chunk: Chunk
    meta: DocumentMeta


class Filters(BaseModel):
    """Restrict a search to some documents."""

    place: str | None = None
    speaker: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    doc_ids: list[str] | None = None  # only these documents
    exclude_doc_ids: list[str] | None = None  # never these documents

    def is_empty(self) -> bool:
        return not any((self.place, self.speaker, self.date_from, self.date_to, self.doc_ids, self.exclude_doc_ids))


class Scores(BaseModel):
    """Component scores, each in 0-1."""

    lexical: float = 0.0
    bigram: float = 0.0
    dense: float | None = None
    fused: float = 0.0
    rerank: float = 0.0


class Hit(BaseModel):
    """One retrieved passage with its document's metadata."""

    chunk: Chunk
    meta: DocumentMeta
    score: float
    scores: Scores
