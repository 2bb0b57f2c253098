"""Request and response bodies of the HTTP API, with their limits."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from bot.models import Answer, Citation, Turn
from retrieval.models import Filters
from retrieval.textnorm import strip_marks

MAX_TOP_K = 50
MAX_HISTORY = 50
# Lengths (question, message, history turns) are bounded by Settings.max_question_chars: checked in the routes
# and written into the OpenAPI schema by the app factory.


def valid_text(text: str) -> str:
    """Refuse what cannot be UTF-8 (a lone surrogate from a JSON escape): it would fail only when answered."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("contains a lone surrogate; send valid Unicode text") from exc
    return text


def _question(text: object) -> object:
    return strip_marks(valid_text(text)) if isinstance(text, str) else text


# Invisible marks go first, then whitespace, so "\u200b " counts as empty.
Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), BeforeValidator(_question)]
def _json_integer(value: object) -> object:
    """An integer as JSON Schema has it: 31 and 31.0 are, "31" and true are not (pydantic alone takes them)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("an integer is a JSON number")
    return int(value) if isinstance(value, float) and value.is_integer() else value


TopK = Annotated[int, Field(ge=1, le=MAX_TOP_K), BeforeValidator(_json_integer)]


def _iso_date(value: object) -> object:
    """A date as written in JSON: a YYYY-MM-DD string (pydantic alone would also take a number of seconds)."""
    if value is not None and not isinstance(value, (str, dt.date)):
        raise ValueError("a date is a string YYYY-MM-DD")
    return value


class ApiFilters(Filters):
    """Filters as the API takes them: dates only as strings, as the schema says."""

    model_config = ConfigDict(extra="forbid")

    date_from: Annotated[dt.date | None, BeforeValidator(_iso_date)] = None
    date_to: Annotated[dt.date | None, BeforeValidator(_iso_date)] = None


class HistoryTurn(Turn):
    content: Annotated[str, AfterValidator(valid_text)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AskRequest(_Strict):
    question: Question
    history: list[HistoryTurn] = Field(default_factory=list, max_length=MAX_HISTORY)
    filters: ApiFilters | None = None
    top_k: TopK | None = None

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"question": "金华今年招商目标是多少?", "filters": {"place": "金华"}}]})


class ChatRequest(_Strict):
    conversation_id: str | None = Field(default=None, max_length=64)
    message: Question
    filters: ApiFilters | None = None
    top_k: TopK | None = None


class ChatAnswer(Answer):
    """The answer object, plus the conversation it belongs to."""

    conversation_id: str


class SearchRequest(_Strict):
    query: Question
    filters: ApiFilters | None = None
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
    """Counts and modes are shown to callers with a key (or to anyone when the service runs without keys)."""

    ready: bool
    index: str | None = None  # the index folder's name (never the full path)
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


class KeyInfo(BaseModel):
    name: str
    scopes: list[str]


class ServiceSettings(BaseModel):
    """What GET /api/settings shows an admin: who may do what, and the limits."""

    auth: bool  # keys are required
    keys: list[KeyInfo]
    allowed_hosts: list[str]  # ["*"]: any
    allowed_origins: list[str]
    max_question_chars: int
    max_upload_mb: int
    max_upload_files: int
    max_queued_jobs: int
    rate_limit_key: str
    rate_limit_ip: str
    rate_limit_auth_failures: str
    max_concurrent_answers: int
    ingest_memory_mb: int
    ingest_timeout_s: int
    conversation_max_age_days: int
    conversation_max_count: int
