"""Deterministic fakes for the channels tests: a fake bot, and real HTTP servers on 127.0.0.1.

Imported by the tests as a plain module (tests/channels has no __init__.py, so its folder is on sys.path).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request

from bot.models import Answer, Citation, Turn
from channels.config import BotConfig
from channels.im.registry import make_im_router

# One client for all test requests: creating an httpx client (its SSL context) costs ~80 ms each time.
HTTP = httpx.Client(timeout=10)

ANSWER_TEXT = "要坚持以人民为中心的发展思想[1]。"


def citation(n: int = 1) -> Citation:
    return Citation(
        id=n, doc_id=f"doc{n}", title="政府工作报告", speaker="李强", date="2024-03-05", place="北京",
        text="坚持以人民为中心的发展思想。这是第二句。", start=0, end=16, score=0.9,
    )


class FakeBot:
    """An AskFn that records its calls, optionally sleeps (a slow RAG answer), and returns a canned Answer."""

    def __init__(self, delay: float = 0.0, text: str = ANSWER_TEXT, citations: int = 1) -> None:
        self.delay = delay
        self.text = text
        self.citations = citations
        self.calls: list[tuple[str, list[Turn]]] = []
        self.finished = threading.Event()

    def __call__(self, question: str, history: list[Turn]) -> Answer:
        self.calls.append((question, list(history)))
        time.sleep(self.delay)
        self.finished.set()
        return self.answer_for(question)

    def answer_for(self, question: str) -> Answer:
        """The canned answer, without recording a call or sleeping."""
        cites = [citation(i + 1) for i in range(self.citations)]
        return Answer(answer=self.text, found=True, query=question, citations=cites)


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Run an ASGI app with uvicorn on a free 127.0.0.1 port in a thread; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="auto"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        wait_for(lambda: server.started, timeout=10)
        yield f"http://127.0.0.1:{port}"
    finally:
        # uvicorn owns the socket now and closes it; its shutdown takes ~0.2 s, which the tests need not wait for.
        server.should_exit = True


def wait_for(condition: Callable[[], Any], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)

    def json(self) -> Any:
        import json

        return json.loads(self.body)


class FakeAPI:
    """A fake platform API: add routes to `app`, call `await record(request)` in each; inspect `calls`."""

    def __init__(self) -> None:
        self.app = FastAPI()
        self.calls: list[Call] = []

    async def record(self, request: Request) -> Call:
        call = Call(request.method, request.url.path, dict(request.query_params),
                    {k.lower(): v for k, v in request.headers.items()}, await request.body())
        self.calls.append(call)
        return call

    def hits(self, path: str) -> list[Call]:
        return [call for call in self.calls if call.path == path]


def im_app(bots: list[BotConfig], ask: Any, **kwargs: Any) -> FastAPI:
    app = FastAPI()
    app.include_router(make_im_router(bots, ask, **kwargs))
    return app


class FakeClock:
    """A settable clock (seconds since the epoch)."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@contextmanager
def im_server(api: FakeAPI, make_bots: Callable[[str], list[BotConfig]], ask: Any, **kwargs: Any) -> Iterator[str]:
    """Serve the fake platform API, then our IM router configured against it; yields our base URL."""
    with serve(api.app) as api_url, serve(im_app(make_bots(api_url), ask, **kwargs)) as url:
        yield url
