"""The answer as Server-Sent Events: citations first, then text deltas, then one final answer object."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.models import Answer, Turn
from bot.pipeline import EMPTY, Bot
from retrieval.models import Filters

PIECE_CHARS = 6
PIECE_PAUSE = 0.01  # seconds between pieces of an extractive answer, so the page shows it arriving


@dataclass
class Event:
    name: str  # citations, delta, final, error
    data: dict


def sse(event: Event) -> str:
    return f"event: {event.name}\ndata: {json.dumps(event.data, ensure_ascii=False)}\n\n"


def pieces(text: str, size: int = PIECE_CHARS) -> Iterator[str]:
    for i in range(0, len(text), size):
        yield text[i : i + size]


def answer_events(bot: Bot | None, question: str, history: Sequence[Turn] = (), filters: Filters | None = None,
                  top_k: int | None = None) -> Iterator[Event]:
    """The events of one answer; the last is always `final` with the whole answer (and `replaced`)."""
    if bot is None:
        yield from _extractive(Answer(answer=EMPTY, found=False, query=question))
        return
    prepared = bot.prepare(question, history, filters, top_k)
    plain, query = prepared.answer, prepared.analysis.standalone
    generator = bot.generator
    if not prepared.on_topic or generator is None:
        yield from _extractive(plain)
        return
    if not hasattr(generator, "stream"):
        yield from _extractive(generator.answer(query, plain.citations, plain))
        return
    yield _citations(plain)
    for ev in generator.stream(query, plain.citations, plain):
        if ev.type == "delta":
            yield Event("delta", {"text": ev.text})
        else:
            yield Event("final", {**ev.answer.model_dump(), "replaced": ev.replaced, "reason": ev.reason})


def _citations(answer: Answer) -> Event:
    return Event("citations", {"query": answer.query, "citations": [c.model_dump() for c in answer.citations]})


def _extractive(answer: Answer) -> Iterator[Event]:
    yield _citations(answer)
    for i, piece in enumerate(pieces(answer.answer)):
        if i:
            time.sleep(PIECE_PAUSE)
        yield Event("delta", {"text": piece})
    yield Event("final", {**answer.model_dump(), "replaced": False, "reason": None})
