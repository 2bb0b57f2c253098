"""Liveness, readiness, the empty library, the page and the schema."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from speechbot.server import create_app
from tests.api.support import settings_for


def test_healthz_and_readyz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["ready"] and body["documents"] == 2 and body["chunks"] > 2
    assert body["retrieval"] == "lexical"
    assert body["index"] == "index" and "/" not in ready.text.replace("/readyz", "")  # no absolute path


def test_without_an_index_readyz_is_503_and_answers_say_the_library_is_empty(tmp_path: Path) -> None:
    with TestClient(create_app(settings_for(tmp_path / "empty"))) as c:
        ready = c.get("/readyz")
        assert ready.status_code == 503
        assert "no index" in ready.json()["detail"]
        assert str(tmp_path) not in ready.text and ready.json()["index"] == "index"  # no absolute path
        assert str(tmp_path) not in c.get("/api/documents/x.txt").text
        answer = c.post("/api/ask", json={"question": "今年的目标是什么?"}).json()
        assert not answer["found"] and "空" in answer["answer"]
        assert c.get("/api/documents").json() == []
        assert c.get("/api/documents/x.txt").status_code == 404


def test_page_docs_and_schema_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert client.get("/static/app.js").status_code == 200
    docs = client.get("/docs")
    assert docs.status_code == 200 and "cdn" not in docs.text  # Swagger UI from local files (fastapi-offline)
    redoc = client.get("/redoc")
    assert redoc.status_code == 200 and "cdn" not in redoc.text and "fonts.googleapis" not in redoc.text
    for asset in re.findall(r'(?:src|href)="(/[^"]+)"', docs.text + redoc.text):
        assert client.get(asset).status_code == 200, asset
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert '<link rel="icon"' in page.text
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/ask", "/api/chat", "/api/search", "/api/documents", "/api/jobs/{job_id}"} <= set(paths)


def test_unknown_route_is_a_json_404(client: TestClient) -> None:
    r = client.get("/api/nothing-here")
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


def test_an_index_that_does_not_open_is_a_409_not_an_empty_library(data_dir: Path) -> None:
    from retrieval.errors import IndexMismatch

    def mismatched(_settings):
        raise IndexMismatch("index was built with another dictionary; rebuild it")

    with TestClient(create_app(settings_for(data_dir), bot_factory=mismatched)) as c:
        assert c.get("/readyz").status_code == 503
        for url, body in (("/api/ask", {"question": "目标?"}), ("/api/chat", {"message": "目标?"})):
            r = c.post(url, json=body)
            assert r.status_code == 409 and r.json()["code"] == "index_mismatch" and "rebuild" in r.json()["detail"]
