"""The one place that knows the chat model is LangChain's `ChatOpenAI` (any OpenAI-compatible endpoint)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import SecretStr

from bot.llm.errors import (
    LLMConfigError,
    LLMError,
    LLMRequestError,
    LLMResponseError,
    LLMTimeout,
    LLMTransientError,
)

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

_RETRYABLE_STATUS = {408, 409, 425, 429}


def make_chat_model(
    base_url: str, model: str, api_key: str, timeout: float, temperature: float, max_tokens: int
) -> BaseChatModel:
    """A chat model for an OpenAI-compatible `/chat/completions` endpoint (DeepSeek, Qwen, vLLM, Ollama, ...).

    The client does not retry (`max_retries=0`): `LLMAnswerer` retries with backoff and a circuit breaker.
    `timeout` bounds each HTTP operation; the answerer also enforces a total deadline per answer.

    Raises:
        LLMConfigError: `base_url` or `model` is empty, or langchain-openai is not installed.
    """
    if not base_url or not model:
        raise LLMConfigError("an LLM needs a base URL and a model name (SPEECHBOT_LLM_BASE_URL, SPEECHBOT_LLM_MODEL)")
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise LLMConfigError("generative answers need langchain-openai: pip install 'speechbot[llm]'") from exc
    return ChatOpenAI(
        base_url=base_url,
        model=model,
        api_key=SecretStr(api_key or "EMPTY"),  # local servers (vLLM, Ollama) take any key, but the client wants one
        timeout=timeout,
        max_retries=0,
        temperature=temperature,
        # ChatOpenAI renames max_tokens to max_completion_tokens, which many compatible servers ignore.
        extra_body={"max_tokens": max_tokens},
        use_responses_api=False,
        stream_usage=False,
    )


def classify_error(exc: BaseException) -> LLMError:
    """Map a client exception to the bot's errors: retryable, a refused request, a timeout, or a bad reply."""
    if isinstance(exc, LLMError):
        return exc
    try:
        import openai
    except ImportError:  # pragma: no cover - only without the llm extra
        return _classify_builtin(exc)
    if isinstance(exc, openai.APITimeoutError):
        return LLMTimeout(f"the model timed out: {exc}")
    if isinstance(exc, openai.APIConnectionError):
        return LLMTransientError(f"cannot reach the model: {exc}")
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        if status >= 500 or status in _RETRYABLE_STATUS:
            return LLMTransientError(f"the model endpoint answered HTTP {status}")
        return LLMRequestError(f"the model endpoint refused the request: HTTP {status}: {exc.message}")
    return _classify_builtin(exc)


def _classify_builtin(exc: BaseException) -> LLMError:
    if isinstance(exc, TimeoutError):
        return LLMTimeout(str(exc) or "the model timed out")
    if isinstance(exc, ConnectionError):
        return LLMTransientError(f"cannot reach the model: {exc}")
    return LLMResponseError(f"unreadable reply from the model: {type(exc).__name__}: {exc}")
