"""Bounds on the work one request may ask for: text lengths, and how many answers are computed at once."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

ANSWER_PATHS = frozenset({"/api/ask", "/api/chat", "/api/search", "/v1/chat/completions"})


class TextTooLong(ValueError):
    """A question, message or history turn is over the configured length."""

    def __init__(self, where: str, limit: int, length: int) -> None:
        self.where = where
        super().__init__(f"{where}: {length} characters, over the limit of {limit} (max_question_chars)")


def check_lengths(limit: int, fields: Iterable[tuple[str, str]]) -> None:
    """Raise TextTooLong for the first (name, text) longer than `limit` characters."""
    for where, text in fields:
        if len(text) > limit:
            raise TextTooLong(where, limit, len(text))


class AnswerSlots:
    """At most `slots` answers are computed at once; a request waits `wait_s` for a slot, then gets 503.

    Answering is CPU work in worker threads; without a cap a burst of long questions takes every thread, and
    /healthz (answered on the event loop) and the upload routes wait behind them.
    """

    def __init__(self, app: ASGIApp, slots: int, wait_s: float) -> None:
        self.app = app
        self.slots = slots
        self.wait_s = wait_s
        self._sem: asyncio.Semaphore | None = None  # made on first use, inside the server's event loop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in ANSWER_PATHS or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        if self._sem is None:
            self._sem = asyncio.Semaphore(self.slots)
        try:
            await asyncio.wait_for(self._sem.acquire(), timeout=self.wait_s)
        except TimeoutError:
            await _busy(scope["path"])(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)  # returns after a streamed answer's last event
        finally:
            self._sem.release()


def _busy(path: str) -> JSONResponse:
    detail = "the service is answering as many questions as it may at once; try again shortly"
    body: dict = {"code": "busy", "detail": detail}
    if path.startswith("/v1/"):
        body = {"error": {"message": detail, "type": "server_error", "param": None, "code": "busy"}}
    return JSONResponse(body, status_code=503, headers={"Retry-After": "1"})
