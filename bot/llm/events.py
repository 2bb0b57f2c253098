"""What `LLMAnswerer.stream` yields: text deltas as the model writes, then one final, checked answer."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from bot.models import Answer


class Delta(BaseModel):
    """A piece of the model's reply, to show as it arrives (not yet checked)."""

    type: Literal["delta"] = "delta"
    text: str


class Final(BaseModel):
    """The answer to keep. If `replaced`, the deltas shown so far are not it: show `answer.answer` instead."""

    type: Literal["final"] = "final"
    answer: Answer
    replaced: bool
    reason: str | None = None  # why the streamed text was replaced or the model was not used


StreamEvent = Delta | Final


def delta(text: str) -> Delta:
    return Delta(text=text)


def final(answer: Answer, streamed: str, reason: str | None = None) -> Final:
    """The final event; `replaced` says whether its text differs from what was streamed."""
    return Final(answer=answer, replaced=answer.answer.strip() != streamed.strip(), reason=reason)
