"""The app factory: the HTTP API, the web chat page and (when installed) the chat channels, on one Settings."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.responses import FileResponse

from speechbot.api import errors
from speechbot.api.deps import require
from speechbot.api.guard import Guard, from_settings
from speechbot.api.limits import AnswerSlots
from speechbot.api.routes import ask, chat, documents, health, search
from speechbot.api.state import AppState, BotFactory
from speechbot.keys import KeyRing
from speechbot.settings import Settings

__all__ = ["AppState", "create_app"]
log = logging.getLogger("speechbot")
WEB = Path(__file__).parent / "web"
FAVICON = "/static/favicon.svg"
# (schema component, property) whose length Settings.max_question_chars bounds
LIMITED_TEXT = (("AskRequest", "question"), ("ChatRequest", "message"), ("SearchRequest", "query"),
                ("HistoryTurn", "content"))


def create_app(settings: Settings, bot_factory: BotFactory | None = None) -> FastAPI:
    """Build the app. `bot_factory(settings) -> Bot` defaults to `wiring.make_bot`; it is called again after
    every ingest, and the new Bot replaces the old one in a single reference swap.

    Example: `uvicorn.run(create_app(Settings()), port=8000)`, then open http://127.0.0.1:8000/.
    """
    keys = KeyRing.load(settings.api_keys, settings.api_keys_file)
    state = AppState(settings, bot_factory)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    # /docs and /redoc from the Swagger UI and ReDoc files bundled in fastapi-offline: no CDN, so they work offline.
    app = FastAPIOffline(title="speechbot", version="0.1.0", lifespan=lifespan, favicon_url=FAVICON,
                         description="Questions about Chinese government speeches, answered with exact citations.")
    app.state.speechbot = state
    app.state.guard = guard = from_settings(settings, keys)
    errors.install(app, state.redact)
    for module in (ask, chat, search, documents, health):
        app.include_router(module.router)
    _include_channels(app, state, settings)
    _mount_web(app)
    # The last added runs first: CORS answers preflights, then the guard, then the answer slots.
    app.add_middleware(AnswerSlots, slots=settings.max_concurrent_answers, wait_s=settings.answer_queue_s)
    app.add_middleware(Guard, config=guard)
    if guard.allowed_origins:
        app.add_middleware(CORSMiddleware, allow_origins=sorted(guard.allowed_origins), allow_methods=["*"],
                           allow_headers=["Authorization", "Content-Type", "Accept"])
    app.openapi = lambda: _openapi(app, settings, bool(keys))  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI, settings: Settings, secured: bool) -> dict[str, Any]:
    """The generated schema, made true to this configuration: text limits, and bearer keys when required."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for component, prop in LIMITED_TEXT:
        if component in components:
            components[component]["properties"][prop]["maxLength"] = settings.max_question_chars
    upload = schema["paths"]["/api/documents"]["post"]["requestBody"]["content"]["multipart/form-data"]
    upload["schema"]["properties"]["files"]["maxItems"] = settings.max_upload_files
    if secured:
        schema["components"]["securitySchemes"] = {"apiKey": {"type": "http", "scheme": "bearer"}}
        for path, item in schema["paths"].items():
            if path.startswith(("/api/", "/v1/")):
                for operation in item.values():
                    operation["security"] = [{"apiKey": []}]
    app.openapi_schema = schema
    return schema


def _mount_web(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=WEB), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:  # what browsers ask for when a page names no icon
        return FileResponse(WEB / "favicon.svg", media_type="image/svg+xml")


def _include_channels(app: FastAPI, state: AppState, settings: Settings) -> None:
    """The OpenAI-compatible API and messaging adapters, when the `channels` package is installed."""
    try:
        from channels.openai_compat import make_openai_router
    except ImportError as exc:
        log.warning("OpenAI-compatible API not available: %s", exc)
        return
    # Keys are checked by the guard for /v1 as for /api; the router only asks for the `ask` scope.
    app.include_router(make_openai_router(lambda q, h: state.ask(q, h), [], max_chars=settings.max_question_chars,
                                          dependencies=[Depends(require("ask"))]))
    if not settings.channels_file:
        return
    try:
        from channels.config import load_channels
        from channels.im.registry import make_im_router
        from channels.state import make_channel_state
    except ImportError as exc:
        log.warning("channels file %s ignored: %s", settings.channels_file, exc)
        return
    # With Redis, replicas share delivery ids, chat history and streams: a delivery reaching two is answered once.
    app.include_router(make_im_router(load_channels(settings.channels_file), lambda q, h: state.ask(q, h),
                                      state=make_channel_state(settings.redis_url)))
