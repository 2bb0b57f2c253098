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


class Quote(BaseModel):
    """A sentence the answer quotes: from citations[id-1], at [start, end) of its document's text."""

    id: int
    text: str  # original script
    start: int
    end: int


class Answer(BaseModel):
    """What the bot says, with the passages it came from.

    `answer` opens with the short answer (`short`: the exact span — a number with its unit, a name, a date, the
    list items) and goes on with the quoted sentences, each followed by its marker [n]; `quotes` lists those
    sentences. A refusal has found=False, an empty `short` and no quotes; its citations are the closest passages.
    """

    answer: str
    found: bool
    query: str  # the question after follow-up rewriting
    mode: Mode = "extractive"
    short: str = ""
    quotes: list[Quote] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
