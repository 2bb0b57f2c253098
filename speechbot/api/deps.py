"""Request dependencies: the app state and the current Bot."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from bot.pipeline import Bot
from speechbot.api.schemas import ErrorBody
from speechbot.api.state import AppState


def get_state(request: Request) -> AppState:
    return request.app.state.speechbot


def get_bot(state: Annotated[AppState, Depends(get_state)]) -> Bot:
    """The Bot at the time of the request (IndexNotFound -> 404 when nothing is ingested yet)."""
    return state.require_bot()


StateDep = Annotated[AppState, Depends(get_state)]
BotDep = Annotated[Bot, Depends(get_bot)]

# Documented error answers, for the OpenAPI schema.
ERRORS: dict[int | str, dict] = {
    404: {"model": ErrorBody, "description": "Unknown conversation, document or job"},
    422: {"model": ErrorBody, "description": "Invalid request: the body says which field and why"},
}
