"""POST /api/search: the passages chat would use, with their component scores."""

from __future__ import annotations

from fastapi import APIRouter

from bot.pipeline import to_citation
from speechbot.api.deps import ANSWER_ERRORS, Asker, StateDep
from speechbot.api.limits import check_lengths
from speechbot.api.schemas import SearchRequest, SearchResponse

router = APIRouter(prefix="/api", tags=["answers"])


@router.post("/search", response_model=SearchResponse, responses=ANSWER_ERRORS)
def search(body: SearchRequest, state: StateDep, _who: Asker) -> SearchResponse:
    """Exactly the retrieval step of /api/ask and /api/chat; scores (lexical, dense, fused, rerank) are in 0-1."""
    check_lengths(state.settings.max_question_chars, [("query", body.query)])
    bot = state.bot
    if bot is None:
        return SearchResponse(query=body.query, hits=[])
    hits = bot.retrieve(body.query, body.filters, body.top_k)
    return SearchResponse(query=body.query, hits=[to_citation(i + 1, h) for i, h in enumerate(hits)])
