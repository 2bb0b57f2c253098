"""Calls to the chat model that always end: a hard deadline, retries with backoff, and a circuit breaker.

The HTTP client's own timeout applies per read, so a server that trickles tokens could outlast it; here the
call runs in a worker thread and the caller stops waiting at the deadline, whatever the server does.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from bot.llm.breaker import CircuitBreaker
from bot.llm.client import classify_error
from bot.llm.errors import CircuitOpenError, LLMError, LLMTimeout, LLMTransientError


@dataclass(frozen=True)
class RetryPolicy:
    """How often to retry a transient failure, and how long to wait: base_delay * 2**n, capped at max_delay."""

    attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 4.0

    def delay(self, retry: int) -> float:
        return min(self.max_delay, self.base_delay * 2**retry)


class GuardedModel:
    """A chat model behind a deadline, retries and a circuit breaker; replies come back as plain text."""

    def __init__(self, chat_model: BaseChatModel, breaker: CircuitBreaker, retry: RetryPolicy) -> None:
        self.chat_model = chat_model
        self.breaker = breaker
        self.retry = retry

    def invoke(self, messages: Sequence[BaseMessage], deadline: float) -> str:
        """The whole reply, or an `LLMError` by `deadline` (a `time.monotonic()` value)."""
        for attempt in range(self.retry.attempts):
            self._admit()
            try:
                text = _invoke_within(self.chat_model, messages, deadline)
            except LLMError as exc:
                self._failed(exc, attempt, deadline)
                continue
            self.breaker.record_success()
            return text
        raise AssertionError("unreachable: the last attempt raises")  # pragma: no cover

    def stream(self, messages: Sequence[BaseMessage], deadline: float) -> Iterator[str]:
        """The reply piece by piece. Transient failures are retried only before the first piece."""
        for attempt in range(self.retry.attempts):
            self._admit()
            started = False
            try:
                for piece in _stream_within(self.chat_model, messages, deadline):
                    started = True
                    yield piece
            except LLMError as exc:
                if started:
                    self.breaker.record_failure()
                    raise
                self._failed(exc, attempt, deadline)
                continue
            self.breaker.record_success()
            return

    def _admit(self) -> None:
        if not self.breaker.allow():
            raise CircuitOpenError("the model endpoint failed repeatedly; waiting for the cool-down")

    def _failed(self, exc: LLMError, attempt: int, deadline: float) -> None:
        """Count the failure; re-raise unless it is transient and a retry fits before the deadline."""
        self.breaker.record_failure()
        pause = self.retry.delay(attempt)
        if not isinstance(exc, LLMTransientError) or attempt + 1 >= self.retry.attempts:
            raise exc
        if self.breaker.state == "open" or time.monotonic() + pause >= deadline:
            raise exc
        time.sleep(pause)


def message_text(message: Any) -> str:
    """The text of a LangChain message or chunk (content may be a string or a list of blocks)."""
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    parts = [b if isinstance(b, str) else b.get("text", "") for b in content if isinstance(b, str | dict)]
    return "".join(parts)


def _remaining(deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise LLMTimeout("no time left for the model")
    return remaining


def _invoke_within(model: BaseChatModel, messages: Sequence[BaseMessage], deadline: float) -> str:
    remaining = _remaining(deadline)
    box: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=1)

    def work() -> None:
        try:
            box.put(("ok", message_text(model.invoke(list(messages), timeout=remaining))))
        except Exception as exc:  # handed to the caller's thread, classified there
            box.put(("error", exc))

    threading.Thread(target=work, daemon=True, name="speechbot-llm-invoke").start()
    try:
        kind, value = box.get(timeout=remaining)
    except queue.Empty:
        raise LLMTimeout(f"no reply within {remaining:.1f} s") from None
    if kind == "error":
        raise classify_error(value) from value
    return value


def _stream_within(model: BaseChatModel, messages: Sequence[BaseMessage], deadline: float) -> Iterator[str]:
    remaining = _remaining(deadline)
    box: queue.Queue[tuple[str, Any]] = queue.Queue()
    stop = threading.Event()

    def work() -> None:
        try:
            for chunk in model.stream(list(messages), timeout=remaining):
                if stop.is_set():
                    return  # the caller gave up; dropping the generator closes the connection
                box.put(("piece", message_text(chunk)))
            box.put(("done", None))
        except Exception as exc:
            box.put(("error", exc))

    threading.Thread(target=work, daemon=True, name="speechbot-llm-stream").start()
    try:
        while True:
            try:
                kind, value = box.get(timeout=_remaining(deadline))
            except queue.Empty:
                raise LLMTimeout("the model's stream stalled past the deadline") from None
            if kind == "done":
                return
            if kind == "error":
                raise classify_error(value) from value
            if value:
                yield value
    finally:
        stop.set()
