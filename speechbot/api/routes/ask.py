"""POST /api/ask: one question, the same answer object as `speechbot ask --json`."""

from __future__ import annotations

from fastapi import APIRouter

from bot.models import Answer
from speechbot.api.deps import ERRORS, StateDep
from speechbot.api.schemas import AskRequest

router = APIRouter(prefix="/api", tags=["answers"])


@router.post("/ask", response_model=Answer, responses=ERRORS)
def ask(body: AskRequest, state: StateDep) -> Answer:
    """Answer a question (with an optional chat history) from the ingested speeches, with citations."""
    return state.ask(body.question, body.history, body.filters, body.top_k)
