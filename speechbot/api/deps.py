"""Request dependencies: the app state, the current Bot, and the caller's key with its scopes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from bot.pipeline import Bot
from speechbot.api.errors import Forbidden
from speechbot.api.schemas import ErrorBody
from speechbot.api.state import AppState
from speechbot.keys import Principal, Scope


def get_state(request: Request) -> AppState:
    return request.app.state.speechbot


def get_bot(state: Annotated[AppState, Depends(get_state)]) -> Bot:
    """The Bot at the time of the request (IndexNotFound -> 404 when nothing is ingested yet)."""
    return state.require_bot()


def require(scope: Scope) -> Callable[[Request], Principal]:
    """A dependency: the caller (authenticated by the guard middleware) if its key holds `scope`, else 403."""

    def check(request: Request) -> Principal:
        principal = request.scope.get("state", {}).get("principal")
        if principal is None or not principal.allows(scope):  # None: a route the guard does not cover
            raise Forbidden(scope)
        return principal

    check.__name__ = f"require_{scope}"
    return check


StateDep = Annotated[AppState, Depends(get_state)]
BotDep = Annotated[Bot, Depends(get_bot)]
Asker = Annotated[Principal, Depends(require("ask"))]
Writer = Annotated[Principal, Depends(require("write"))]
Admin = Annotated[Principal, Depends(require("admin"))]


def owner_filter(who: Principal) -> str | None:
    """The owner whose conversations `who` sees: its own, or all (None) for an admin."""
    return None if who.is_admin else who.name


# Documented error answers, for the OpenAPI schema.
ERRORS: dict[int | str, dict] = {
    400: {"model": ErrorBody, "description": "The body is not valid JSON (or multipart)"},
    401: {"model": ErrorBody, "description": "Missing or wrong API key (when keys are configured)"},
    403: {"model": ErrorBody, "description": "The key lacks the scope, or a cross-origin write"},
    404: {"model": ErrorBody, "description": "Unknown conversation, document or job"},
    422: {"model": ErrorBody, "description": "Invalid request: the body says which field and why"},
    429: {"model": ErrorBody, "description": "Too many requests from this key or address; see Retry-After"},
}
ANSWER_ERRORS: dict[int | str, dict] = {
    **ERRORS,
    409: {"model": ErrorBody, "description": "The index cannot be read as configured (rebuild it)"},
    503: {"model": ErrorBody, "description": "Answering as many questions as allowed at once; see Retry-After"},
}
