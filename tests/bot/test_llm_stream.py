"""LLMAnswerer.stream: deltas as the model writes, then one checked final event."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from openai_server import Hang, Malformed, OpenAIServer, Reply, Status, extractive, passages

from bot.llm import CircuitBreaker, Delta, Final, LLMAnswerer, RetryPolicy, StreamEvent, make_chat_model
from bot.prompts import load_prompts

TIMEOUT = 1.0
QUESTION = "去年新增就业多少人？"
GOOD = "去年全年新增就业1244万人[1]。建成40个国家级园区[3]。"


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running


def stream(server: OpenAIServer) -> tuple[list[Delta], Final]:
    model = make_chat_model(server.base_url, "scripted", "", TIMEOUT, 0.1, 256)
    retry = RetryPolicy(attempts=3, base_delay=0.05, max_delay=0.2)
    bot = LLMAnswerer(model, load_prompts(), CircuitBreaker(5, 30), timeout=TIMEOUT, retry=retry)
    events: list[StreamEvent] = list(bot.stream(QUESTION, passages(), fallback=extractive(QUESTION)))
    *deltas, last = events
    assert all(isinstance(e, Delta) for e in deltas) and isinstance(last, Final)
    return deltas, last  # type: ignore[return-value]


def test_a_correct_answer_streams_and_the_final_event_confirms_it(server: OpenAIServer) -> None:
    server.enqueue(Reply(GOOD, chunks=6))
    deltas, final = stream(server)
    assert len(deltas) == 6 and "".join(d.text for d in deltas) == GOOD
    assert (final.answer.mode, final.answer.answer, final.replaced, final.reason) == ("llm", GOOD, False, None)
    assert server.requests[0]["stream"] is True


def test_a_malformed_stream_ends_with_the_fallback_replacing_the_text(server: OpenAIServer) -> None:
    server.enqueue(Malformed(prefix="根据材料"))
    deltas, final = stream(server)
    assert "".join(d.text for d in deltas) == "根据材料"
    assert final.replaced and final.answer.mode == "llm-fallback"
    assert final.answer.answer == "全年新增就业1244万人[1]"
    assert final.reason and "模型不可用" in final.reason
    assert len(server.requests) == 1  # text was already shown: no silent retry


def test_a_failed_check_is_retried_and_the_final_event_replaces_the_text(server: OpenAIServer) -> None:
    server.enqueue(Reply("去年新增就业1300万人[1]。"), Reply(GOOD))
    deltas, final = stream(server)
    assert "".join(d.text for d in deltas) == "去年新增就业1300万人[1]。"
    assert (final.answer.mode, final.answer.answer, final.replaced) == ("llm", GOOD, True)
    assert final.reason and "1300万人" in final.reason
    assert [r["stream"] for r in server.requests] == [True, False]


def test_a_failed_check_twice_ends_with_the_fallback(server: OpenAIServer) -> None:
    server.enqueue(Reply("新增就业1244万人[9]。"), Reply("新增就业1244万人[9]。"))
    _, final = stream(server)
    assert (final.answer.mode, final.replaced) == ("llm-fallback", True)
    assert final.reason and "[9]" in final.reason


def test_a_stream_that_trickles_past_the_timeout_is_cut_at_the_deadline(server: OpenAIServer) -> None:
    server.enqueue(Reply(GOOD, chunks=10, chunk_delay=0.3))  # every read is quick, the whole is 3 s
    start = time.monotonic()
    deltas, final = stream(server)
    elapsed = time.monotonic() - start
    assert elapsed < TIMEOUT + 0.3
    assert 0 < len(deltas) < 10
    assert (final.answer.mode, final.replaced) == ("llm-fallback", True)


def test_a_hang_before_the_first_token_falls_back_within_the_timeout(server: OpenAIServer) -> None:
    server.enqueue(Hang(5))
    start = time.monotonic()
    deltas, final = stream(server)
    assert time.monotonic() - start < TIMEOUT + 0.3
    assert deltas == [] and final.answer.mode == "llm-fallback" and final.replaced


def test_a_500_before_the_first_token_is_retried(server: OpenAIServer) -> None:
    server.enqueue(Status(503), Reply(GOOD))
    _, final = stream(server)
    assert (final.answer.mode, final.replaced) == ("llm", False)
    assert len(server.requests) == 2
