"""Helpers shared by the API tests."""

from __future__ import annotations

import json
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
