"""make_chat_model, and how real client failures from a real endpoint are classified."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from langchain_openai import ChatOpenAI
from openai_server import Behaviour, Hang, Malformed, OpenAIServer, Status

from bot.llm.client import classify_error, make_chat_model
from bot.llm.errors import LLMConfigError, LLMRequestError, LLMResponseError, LLMTimeout, LLMTransientError


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running


def test_the_client_does_not_retry_on_its_own() -> None:
    model = make_chat_model("http://127.0.0.1:9/v1", "qwen-plus", "sk-test", 7.5, 0.2, 300)
    assert isinstance(model, ChatOpenAI)
    assert (model.max_retries, model.request_timeout, model.model_name) == (0, 7.5, "qwen-plus")


@pytest.mark.parametrize(("base_url", "model"), [("", "m"), ("http://127.0.0.1:9/v1", "")])
def test_a_missing_setting_is_a_config_error(base_url: str, model: str) -> None:
    with pytest.raises(LLMConfigError, match="SPEECHBOT_LLM_BASE_URL"):
        make_chat_model(base_url, model, "", 5, 0.1, 100)


def test_a_missing_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "langchain_openai", None)
    with pytest.raises(LLMConfigError, match=r"speechbot\[llm\]"):
        make_chat_model("http://127.0.0.1:9/v1", "m", "", 5, 0.1, 100)


@pytest.mark.parametrize(
    ("behaviour", "kind"),
    [
        (Status(500), LLMTransientError),
        (Status(429), LLMTransientError),
        (Status(401), LLMRequestError),
        (Status(404), LLMRequestError),
        (Hang(2), LLMTimeout),
        (Malformed(), LLMResponseError),
    ],
)
def test_client_errors_are_classified(server: OpenAIServer, behaviour: Behaviour, kind: type) -> None:
    server.enqueue(behaviour)
    model = make_chat_model(server.base_url, "scripted", "sk-test", 0.3, 0.1, 100)
    with pytest.raises(Exception) as raised:
        model.invoke("你好")
    assert type(classify_error(raised.value)) is kind
    assert server.headers[0]["authorization"] == "Bearer sk-test"


def test_a_refused_connection_is_transient() -> None:
    with OpenAIServer() as gone:
        url = gone.base_url
    with pytest.raises(Exception) as raised:
        make_chat_model(url, "scripted", "", 0.3, 0.1, 100).invoke("你好")
    assert type(classify_error(raised.value)) is LLMTransientError
