"""What can go wrong between the bot and a chat model. The answerer turns all of them into a fallback answer."""

from __future__ import annotations


class LLMError(Exception):
    """The model gave no usable reply."""


class LLMConfigError(LLMError):
    """The model cannot be set up: a missing setting or the `llm` extra is not installed."""


class LLMTimeout(LLMError):
    """No complete reply before the deadline."""


class LLMTransientError(LLMError):
    """A failure worth retrying: HTTP 5xx, 429, 408, or the connection was refused or dropped."""


class LLMRequestError(LLMError):
    """The endpoint refused the request (HTTP 4xx such as a bad key or unknown model); retrying will not help."""


class LLMResponseError(LLMError):
    """The reply could not be read: malformed JSON, no choices, a broken stream."""


class CircuitOpenError(LLMError):
    """The circuit breaker is open: the endpoint failed repeatedly and is left alone until the cool-down ends."""
