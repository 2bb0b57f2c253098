"""Request and response bodies of the HTTP API, with their limits."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from bot.models import Answer, Citation, Turn
from retrieval.models import Filters

MAX_QUESTION = 2000
MAX_TOP_K = 50
MAX_HISTORY = 50

# Whitespace is stripped first, so "   " counts as empty.
Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUESTION)]
TopK = Annotated[int, Field(ge=1, le=MAX_TOP_K)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AskRequest(_Strict):
    question: Question
    history: list[Turn] = Field(default_factory=list, max_length=MAX_HISTORY)
    filters: Filters | None = None
    top_k: TopK | None = None

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"question": "金华今年招商目标是多少?", "filters": {"place": "金华"}}]})


class ChatRequest(_Strict):
    conversation_id: str | None = Field(default=None, max_length=64)
    message: Question
    filters: Filters | None = None
    top_k: TopK | None = None


class ChatAnswer(Answer):
    """The answer object, plus the conversation it belongs to."""

    conversation_id: str


class SearchRequest(_Strict):
    query: Question
    filters: Filters | None = None
    top_k: TopK | None = None


class SearchResponse(BaseModel):
    """The passages chat would use, as citations with component scores (lexical, bigram, dense, fused, rerank)."""

    query: str
    hits: list[Citation]


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    speaker: str
    date: str | None
    place: str
    places: list[str]
    chunks: int
    sources: list[str]
    added: str


class ChunkSpan(BaseModel):
    ordinal: int
    heading: str
    start: int  # offsets into `text`
    end: int
    note: bool = False


class DocumentDetail(DocumentSummary):
    raw: str  # the decoded file, untouched
    text: str  # the cleaned text that citations quote
    chunk_spans: list[ChunkSpan]


class Health(BaseModel):
    status: str = "ok"


class Readiness(BaseModel):
    ready: bool
    index: str  # the index folder's name (never its absolute path)
    documents: int = 0
    chunks: int = 0
    retrieval: str = "lexical"  # "hybrid" when the dense model is loaded
    embed_model: str | None = None
    generator: bool = False
    detail: str | None = None


class Deleted(BaseModel):
    deleted: str


class ErrorBody(BaseModel):
    """Every 4xx answer: a machine code and a sentence saying what is wrong."""

    code: str
    detail: str
    errors: list[dict] | None = None
