"""The app factory: the HTTP API, the web chat page and (when installed) the chat channels, on one Settings."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.responses import FileResponse

from speechbot.api import errors
from speechbot.api.routes import ask, chat, documents, health, search
from speechbot.api.state import AppState, BotFactory
from speechbot.settings import Settings

__all__ = ["AppState", "create_app"]
log = logging.getLogger("speechbot")
WEB = Path(__file__).parent / "web"
FAVICON = "/static/favicon.svg"


def create_app(settings: Settings, bot_factory: BotFactory | None = None) -> FastAPI:
    """Build the app. `bot_factory(settings) -> Bot` defaults to `wiring.make_bot`; it is called again after
    every ingest, and the new Bot replaces the old one in a single reference swap.

    Example: `uvicorn.run(create_app(Settings()), port=8000)`, then open http://127.0.0.1:8000/.
    """
    state = AppState(settings, bot_factory)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    # /docs and /redoc from the Swagger UI and ReDoc files bundled in fastapi-offline: no CDN, so they work offline.
    app = FastAPIOffline(title="speechbot", version="0.1.0", lifespan=lifespan, favicon_url=FAVICON,
                         description="Questions about Chinese government speeches, answered with exact citations.")
    app.state.speechbot = state
    errors.install(app)
    for module in (ask, chat, search, documents, health):
        app.include_router(module.router)
    _include_channels(app, state, settings)
    _mount_web(app)
    return app


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
    keys = [k.strip() for k in settings.api_keys.split(",") if k.strip()]
    app.include_router(make_openai_router(lambda q, h: state.ask(q, h), keys))
    if not settings.channels_file:
        return
    try:
        from channels.config import load_channels
        from channels.im.registry import make_im_router
    except ImportError as exc:
        log.warning("channels file %s ignored: %s", settings.channels_file, exc)
        return
    app.include_router(make_im_router(load_channels(settings.channels_file), lambda q, h: state.ask(q, h)))
