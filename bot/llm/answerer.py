"""Generative answers: the model writes from the numbered passages, the check vets it, the extractive answer backs it.

`answer` and `stream` never raise for model trouble and never run past `timeout`: a dead, slow, erroring or
unconvincing model gives the caller's extractive answer back with mode "llm-fallback".
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator

from langchain_core.language_models import BaseChatModel

from bot.llm.breaker import CircuitBreaker
from bot.llm.calls import GuardedModel, RetryPolicy
from bot.llm.check import check_answer
from bot.llm.errors import LLMError
from bot.llm.events import StreamEvent, delta, final
from bot.llm.passages import answer_messages, condense_messages, retry_messages
from bot.models import Answer, Citation, Turn
from bot.prompts import Prompts

log = logging.getLogger(__name__)

_LABEL = re.compile(r"^(?:改写后的问题|独立问题|改写|问题)\s*[:：]\s*")
_QUOTES = "\"'“”‘’「」『』《》 "


class LLMAnswerer:
    """Answers with a chat model, checked, falling back to the extractive answer.

    Args:
        chat_model: any LangChain chat model (see `make_chat_model`).
        prompts: the loaded prompt files.
        breaker: shared across requests, so a dead endpoint is left alone.
        timeout: seconds one `answer`, `stream` or `condense` call may take in all, retries included.
        retry: backoff for transient errors (HTTP 5xx/429, dropped connections).
    """

    def __init__(
        self,
        chat_model: BaseChatModel,
        prompts: Prompts,
        breaker: CircuitBreaker | None = None,
        timeout: float = 20.0,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.prompts = prompts
        self.timeout = timeout
        self.model = GuardedModel(chat_model, breaker or CircuitBreaker(), retry or RetryPolicy())

    def answer(self, question: str, citations: list[Citation], fallback: Answer) -> Answer:
        """The model's checked answer (mode "llm"), or `fallback` with mode "llm-fallback"."""
        deadline = time.monotonic() + self.timeout
        messages = answer_messages(self.prompts, question, citations)
        try:
            reply = self.model.invoke(messages, deadline)
            problems = check_answer(reply, citations)
            if problems:
                log.info("LLM answer rejected, retrying once: %s", problems)
                reply = self.model.invoke(retry_messages(self.prompts, messages, reply, problems), deadline)
                problems = check_answer(reply, citations)
        except LLMError as exc:
            log.warning("LLM unavailable, using the extractive answer: %s", exc)
            return _fell_back(fallback)
        if problems:
            log.warning("LLM answer rejected twice, using the extractive answer: %s", problems)
            return _fell_back(fallback)
        return _accepted(reply, question, citations)

    def stream(self, question: str, citations: list[Citation], fallback: Answer) -> Iterator[StreamEvent]:
        """`Delta` events as the model writes, then one `Final` with the checked answer.

        A failed check is retried once without streaming; the `Final` then replaces the streamed text.
        """
        deadline = time.monotonic() + self.timeout
        messages = answer_messages(self.prompts, question, citations)
        streamed = ""
        try:
            for piece in self.model.stream(messages, deadline):
                streamed += piece
                yield delta(piece)
            problems = check_answer(streamed, citations)
            if not problems:
                yield final(_accepted(streamed, question, citations), streamed)
                return
            reply = self.model.invoke(retry_messages(self.prompts, messages, streamed, problems), deadline)
        except LLMError as exc:
            log.warning("LLM stream failed, using the extractive answer: %s", exc)
            yield final(_fell_back(fallback), streamed, reason=f"模型不可用：{exc}")
            return
        if again := check_answer(reply, citations):
            log.warning("LLM answer rejected twice, using the extractive answer: %s", again)
            yield final(_fell_back(fallback), streamed, reason="模型回答未通过核对：" + "；".join(again))
            return
        yield final(_accepted(reply, question, citations), streamed, reason="已更正：" + "；".join(problems))

    def condense(self, question: str, history: list[Turn]) -> str | None:
        """A standalone question written by the model from the history, or None if it cannot help."""
        if not history:
            return question
        try:
            messages = condense_messages(self.prompts, question, history)
            reply = self.model.invoke(messages, time.monotonic() + self.timeout)
        except LLMError as exc:
            log.warning("LLM could not condense the follow-up: %s", exc)
            return None
        return clean_question(reply, question)


def clean_question(reply: str, question: str) -> str | None:
    """The first line of the reply without labels or quotes; None if empty or implausibly long."""
    line = next((ln.strip() for ln in reply.splitlines() if ln.strip()), "")
    line = _LABEL.sub("", line).strip(_QUOTES)
    if not line or len(line) > max(200, 4 * len(question)):
        return None
    return line


def _accepted(reply: str, question: str, citations: list[Citation]) -> Answer:
    return Answer(answer=reply.strip(), found=True, query=question, mode="llm", citations=citations)


def _fell_back(fallback: Answer) -> Answer:
    return fallback.model_copy(update={"mode": "llm-fallback"})
