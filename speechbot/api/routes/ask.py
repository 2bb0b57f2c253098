"""POST /api/ask: one question, the same answer object as `speechbot ask --json`."""

from __future__ import annotations

from fastapi import APIRouter

from bot.models import Answer
from speechbot.api.deps import ANSWER_ERRORS, Asker, StateDep
from speechbot.api.limits import check_lengths
from speechbot.api.schemas import AskRequest

router = APIRouter(prefix="/api", tags=["answers"])


@router.post("/ask", response_model=Answer, responses=ANSWER_ERRORS)
def ask(body: AskRequest, state: StateDep, _who: Asker) -> Answer:
    """Answer a question (with an optional chat history) from the ingested speeches, with citations."""
    check_lengths(state.settings.max_question_chars, [("question", body.question)] +
                  [(f"history.{i}.content", t.content) for i, t in enumerate(body.history)])
    return state.ask(body.question, body.history, body.filters, body.top_k)
