"""Generative answers through an OpenAI-compatible chat model, checked against the passages they cite."""

# Names load on first use: a command that never calls a model does not import LangChain (start-up time).

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.llm.answerer import LLMAnswerer
    from bot.llm.breaker import CircuitBreaker
    from bot.llm.calls import RetryPolicy
    from bot.llm.check import check_answer
    from bot.llm.client import make_chat_model
    from bot.llm.errors import LLMError
    from bot.llm.events import Delta, Final, StreamEvent
    from bot.llm.factory import make_generator
    from bot.llm.passages import format_passages

_WHERE = {
    "CircuitBreaker": "bot.llm.breaker",
    "Delta": "bot.llm.events",
    "Final": "bot.llm.events",
    "LLMAnswerer": "bot.llm.answerer",
    "LLMError": "bot.llm.errors",
    "RetryPolicy": "bot.llm.calls",
    "StreamEvent": "bot.llm.events",
    "check_answer": "bot.llm.check",
    "format_passages": "bot.llm.passages",
    "make_chat_model": "bot.llm.client",
    "make_generator": "bot.llm.factory",
}

__all__ = [
    "CircuitBreaker",
    "Delta",
    "Final",
    "LLMAnswerer",
    "LLMError",
    "RetryPolicy",
    "StreamEvent",
    "check_answer",
    "format_passages",
    "make_chat_model",
    "make_generator",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
