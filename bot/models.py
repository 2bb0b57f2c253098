"""The answer object: the same everywhere (CLI, HTTP API, OpenAI-compatible API, messaging)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Mode = Literal["extractive", "llm", "llm-fallback"]


class Turn(BaseModel):
    """One message of a chat history."""

    role: Literal["user", "assistant", "system"]
    content: str


class Citation(BaseModel):
    """A retrieved passage; a marker [n] in an answer refers to citations[n-1]."""

    id: int
    doc_id: str
    title: str = ""
    speaker: str = ""
    date: str | None = None
    place: str = ""
    source: str = ""
    heading: str = ""
    text: str  # original script, exactly as in the document's display text
    start: int
    end: int
    score: float
    scores: dict[str, float | None] = Field(default_factory=dict)


class Answer(BaseModel):
    """What the bot says, with the passages it came from."""

    answer: str
    found: bool
    query: str  # the question after follow-up rewriting
    mode: Mode = "extractive"
    citations: list[Citation] = Field(default_factory=list)
