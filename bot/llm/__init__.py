"""Generative answers through an OpenAI-compatible chat model, checked against the passages they cite."""

from bot.llm.answerer import LLMAnswerer
from bot.llm.breaker import CircuitBreaker
from bot.llm.calls import RetryPolicy
from bot.llm.check import check_answer
from bot.llm.client import make_chat_model
from bot.llm.errors import LLMError
from bot.llm.events import Delta, Final, StreamEvent
from bot.llm.factory import make_generator
from bot.llm.passages import format_passages

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
