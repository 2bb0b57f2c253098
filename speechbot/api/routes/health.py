"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import JSONResponse

from speechbot.api.deps import StateDep
from speechbot.api.schemas import Health, Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """The process is up."""
    return Health()


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
def readyz(state: StateDep) -> JSONResponse:
    """Ready when the index is loaded; says whether search is hybrid (dense model loaded) or lexical-only."""
    settings, bot = state.settings, state.bot
    body = Readiness(ready=bot is not None, index=str(settings.index_dir()), embed_model=settings.embed_model or None)
    if bot is None:
        body.detail = state.load_error
        return JSONResponse(body.model_dump(), status_code=503)
    index = bot.searcher.index
    body.documents, body.chunks = index.n_documents, len(index)
    body.retrieval = "hybrid" if "dense" in index.channels else "lexical"
    body.generator = bot.generator is not None
    return JSONResponse(body.model_dump())
