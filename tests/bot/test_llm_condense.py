"""LLMAnswerer.condense: the model writes the standalone question for a follow-up."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from openai_server import Hang, OpenAIServer, Reply, Status

from bot.llm import CircuitBreaker, LLMAnswerer, RetryPolicy, make_chat_model
from bot.llm.answerer import clean_question
from bot.models import Turn
from bot.prompts import load_prompts

HISTORY = [
    Turn(role="user", content="2023年新增就业多少人？"),
    Turn(role="assistant", content="全年新增就业1244万人[1]。"),
]


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running


def answerer(server: OpenAIServer) -> LLMAnswerer:
    model = make_chat_model(server.base_url, "scripted", "", 0.5, 0.1, 256)
    retry = RetryPolicy(attempts=2, base_delay=0.05, max_delay=0.1)
    return LLMAnswerer(model, load_prompts(), CircuitBreaker(5, 30), timeout=0.5, retry=retry)


def test_the_model_writes_the_standalone_question(server: OpenAIServer) -> None:
    server.enqueue(Reply("独立问题：“2023年城镇调查失业率是多少？”"))
    assert answerer(server).condense("那失业率呢？", HISTORY) == "2023年城镇调查失业率是多少？"
    [message] = server.requests[0]["messages"]
    assert message["role"] == "user"
    assert "<history>\n用户：2023年新增就业多少人？\n助手：全年新增就业1244万人[1]。\n</history>" in message["content"]
    assert "最新问题：那失业率呢？" in message["content"]


def test_without_history_the_question_stands_as_it_is(server: OpenAIServer) -> None:
    assert answerer(server).condense("2023年新增就业多少人？", []) == "2023年新增就业多少人？"
    assert server.requests == []


@pytest.mark.parametrize("behaviour", [Status(500), Hang(3), Reply("   "), Reply("问" * 300)])
def test_a_failing_or_useless_model_gives_none(server: OpenAIServer, behaviour: object) -> None:
    server.enqueue(behaviour, behaviour)  # type: ignore[arg-type]
    assert answerer(server).condense("那失业率呢？", HISTORY) is None


def test_clean_question_takes_the_first_line_without_labels_or_quotes() -> None:
    assert clean_question("改写后的问题：「李强在哪里讲话？」\n解释：……", "在哪讲的？") == "李强在哪里讲话？"
