"""Configuration errors as the one line the command prints: which variable or file, which field, what is wrong."""

from __future__ import annotations

from pydantic import ValidationError

from bot.llm.errors import LLMConfigError
from bot.prompts import PromptError
from channels.errors import ChannelsConfigError, MissingExtraError
from speechbot.errors import StoreConfigError

# Raised while the command builds its parts from the settings; each message already names its file or variable.
CONFIG_ERRORS = (ValidationError, LLMConfigError, PromptError, ChannelsConfigError, MissingExtraError,
                 StoreConfigError)
_SECRET_WORDS = ("key", "secret", "token", "password", "database_url", "redis_url")  # URLs may hold passwords


def describe(exc: Exception) -> str:
    """One line for a configuration error (a settings value is named by its SPEECHBOT_ variable)."""
    if isinstance(exc, ValidationError):
        return "; ".join(_field_error(exc.title, error) for error in exc.errors())
    if isinstance(exc, LLMConfigError):
        return f"LLM configuration (SPEECHBOT_LLM_BASE_URL is set): {exc}"
    return str(exc)


def _field_error(model: str, error: dict) -> str:  # type: ignore[type-arg]
    field = ".".join(str(part) for part in error["loc"])
    name = f"SPEECHBOT_{field.upper()}" if model == "Settings" else field
    shown = "" if any(word in field.lower() for word in _SECRET_WORDS) else f" (got {error.get('input')!r})"
    return f"{name}: {error['msg']}{shown}"
