"""Helpers shared by the API tests."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient

from speechbot.api.state import AppState
from speechbot.settings import Settings


def state_of(client: TestClient) -> AppState:
    return client.app.state.speechbot  # type: ignore[attr-defined]


def parse_sse(body: str) -> list[tuple[str, dict]]:
    """(event, data) pairs of a text/event-stream body."""
    events = []
    for block in body.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def settings_for(data: Path, **kw) -> Settings:
    """Offline settings for a test data folder; TestClient's Host `testserver` is served like a loopback name."""
    kw.setdefault("allowed_hosts", ["testserver", "127.0.0.1", "localhost"])
    kw.setdefault("ingest_workers", 1)
    return Settings(data_dir=data, index=data / "index", embed_model="", llm_base_url="", **kw)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The real service (uvicorn) on a free port of 127.0.0.1, in a thread; yields its base URL."""
    import uvicorn

    from speechbot.server import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
