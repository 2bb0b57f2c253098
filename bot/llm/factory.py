"""Build the generative answerer from the LLM settings (the composition root passes its Settings in)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Protocol

from bot.llm.answerer import LLMAnswerer
from bot.llm.breaker import CircuitBreaker
from bot.llm.client import make_chat_model
from bot.prompts import DEFAULT_PROMPTS_DIR, load_prompts


class LLMSettings(Protocol):
    """The settings this needs; speechbot's `Settings` has them (read here, never from the environment)."""

    llm_base_url: str
    llm_model: str
    llm_api_key: str
    llm_timeout: float
    llm_temperature: float
    llm_max_tokens: int


@lru_cache(maxsize=16)
def breaker_for(base_url: str) -> CircuitBreaker:
    """One breaker per endpoint for the whole process, so rebuilding the bot does not forget a dead endpoint."""
    return CircuitBreaker(failure_threshold=5, cooldown=30.0)


def make_generator(settings: LLMSettings, prompts_dir: Path = DEFAULT_PROMPTS_DIR) -> LLMAnswerer:
    """The checked, falling-back LLM answerer for `settings`.

    Raises:
        LLMConfigError: base URL or model missing, or the `llm` extra not installed.
        PromptError: a prompt file is missing or its variables are wrong.
    """
    prompts = load_prompts(prompts_dir)
    model = make_chat_model(
        settings.llm_base_url,
        settings.llm_model,
        settings.llm_api_key,
        settings.llm_timeout,
        settings.llm_temperature,
        settings.llm_max_tokens,
    )
    return LLMAnswerer(model, prompts, breaker_for(settings.llm_base_url), timeout=settings.llm_timeout)
