"""make_chat_model and the mapping of client errors."""

from __future__ import annotations

import sys

import httpx
import openai
import pytest

from bot.llm.client import classify_error, make_chat_model
from bot.llm.errors import LLMConfigError, LLMRequestError, LLMResponseError, LLMTimeout, LLMTransientError


def test_the_client_does_not_retry_on_its_own() -> None:
    model = make_chat_model("http://127.0.0.1:9/v1", "qwen-plus", "sk-test", 7.5, 0.2, 300)
    assert model.max_retries == 0
    assert model.request_timeout == 7.5
    assert model.model_name == "qwen-plus"


@pytest.mark.parametrize(("base_url", "model"), [("", "m"), ("http://127.0.0.1:9/v1", "")])
def test_a_missing_setting_is_a_config_error(base_url: str, model: str) -> None:
    with pytest.raises(LLMConfigError, match="SPEECHBOT_LLM_BASE_URL"):
        make_chat_model(base_url, model, "", 5, 0.1, 100)


def test_a_missing_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "langchain_openai", None)
    with pytest.raises(LLMConfigError, match=r"speechbot\[llm\]"):
        make_chat_model("http://127.0.0.1:9/v1", "m", "", 5, 0.1, 100)


def _status(code: int) -> openai.APIStatusError:
    request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    return openai.APIStatusError("boom", response=httpx.Response(code, request=request), body=None)


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (_status(500), LLMTransientError),
        (_status(429), LLMTransientError),
        (_status(401), LLMRequestError),
        (_status(404), LLMRequestError),
        (openai.APITimeoutError(httpx.Request("POST", "http://127.0.0.1")), LLMTimeout),
        (openai.APIConnectionError(request=httpx.Request("POST", "http://127.0.0.1")), LLMTransientError),
        (ValueError("Unterminated string"), LLMResponseError),
    ],
)
def test_client_errors_are_classified(exc: BaseException, kind: type) -> None:
    assert type(classify_error(exc)) is kind
