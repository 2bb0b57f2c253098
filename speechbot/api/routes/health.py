"""Liveness, readiness, and (for admin keys) the effective security settings."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse

from speechbot.api.deps import ERRORS, Admin, StateDep
from speechbot.api.schemas import Health, KeyInfo, Readiness, ServiceSettings

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is up. Answered on the event loop, never behind busy worker threads."""
    return Health()


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}, **ERRORS})
def readyz(state: StateDep, request: Request) -> JSONResponse:
    """Ready when the index is loaded. With a key (or without keys configured) also the counts and whether
    search is hybrid (dense model loaded) or lexical-only."""
    bot = state.bot
    body = Readiness(ready=bot is not None)
    principal = request.scope.get("state", {}).get("principal")
    if principal is not None and not principal.scopes:  # anonymous while keys are configured
        return JSONResponse(body.model_dump(exclude_unset=True), status_code=200 if bot else 503)
    settings = state.settings
    # The folder's name only: an absolute path tells a client about the server's file system.
    body.index, body.embed_model = settings.index_dir().name, settings.embed_model or None
    if bot is None:
        body.detail = state.redact(state.load_error or "")
        return JSONResponse(body.model_dump(), status_code=503)
    index = bot.searcher.index
    body.documents, body.chunks = index.n_documents, len(index)
    body.retrieval = "hybrid" if "dense" in index.channels else "lexical"
    body.generator = bot.generator is not None
    return JSONResponse(body.model_dump())


@router.get("/api/settings", response_model=ServiceSettings, responses=ERRORS)
def service_settings(request: Request, state: StateDep, _admin: Admin) -> ServiceSettings:
    """The effective security settings and limits (admin keys only); key names and scopes, never keys."""
    guard, s = request.app.state.guard, state.settings
    same = {name: getattr(s, name) for name in ServiceSettings.model_fields if hasattr(s, name)}
    return ServiceSettings(**{
        **same, "auth": bool(guard.keys), "allowed_origins": sorted(guard.allowed_origins),
        "keys": [KeyInfo(name=k.name, scopes=sorted(k.scopes)) for k in guard.keys.keys],
        "allowed_hosts": sorted(guard.allowed_hosts) if guard.allowed_hosts is not None else ["*"]})
