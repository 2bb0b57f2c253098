"""Origin and Host checks: a page on another site cannot write to the service, not even by a plain form upload;
CORS is off unless origins are allowed."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from speechbot.server import create_app
from tests.api.speeches import UPLOAD
from tests.api.support import settings_for, state_of

Q = {"question": "临河县今年完成改厕多少户?"}
EVIL = "http://evil.example"


def files() -> list:
    return [("files", ("x.txt", UPLOAD.encode(), "text/plain"))]


@pytest.mark.parametrize("headers", [
    {"origin": EVIL},
    {"origin": "null"},  # sandboxed frames and file:// pages
    {"origin": "http://testserver.evil.example"},
    {"origin": "https://testserver:8443"},
    {"sec-fetch-site": "cross-site"},  # a browser that sent no Origin still says where the request came from
])
def test_cross_origin_writes_are_refused(client: TestClient, headers: dict) -> None:
    state = state_of(client)
    for method, url, kwargs in (("POST", "/api/ask", {"json": Q}), ("POST", "/api/chat", {"json": {"message": "x"}}),
                                ("DELETE", "/api/documents/linhe.txt", {}),
                                ("POST", "/api/documents", {"files": files()})):
        r = client.request(method, url, headers=headers, **kwargs)
        assert r.status_code == 403 and r.json()["code"] == "cross_origin", (method, url, r.text)
    assert state.jobs.store.list() == [] and state.conversations.list() == []
    uploads = state.settings.data_dir / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())
    assert state.index().record("linhe.txt")


def test_a_multipart_upload_from_a_foreign_page_is_refused_before_its_body_is_read(client: TestClient) -> None:
    # What a <form enctype="multipart/form-data" action="http://127.0.0.1:8000/api/documents"> on evil.example
    # sends: a "simple" request, no preflight, with the attacker's Origin.
    r = client.post("/api/documents", files=files(), headers={"origin": EVIL, "sec-fetch-site": "cross-site",
                                                               "sec-fetch-mode": "navigate"})
    assert r.status_code == 403
    assert state_of(client).jobs.store.list() == []


def test_same_origin_and_non_browser_writes_pass(client: TestClient) -> None:
    assert client.post("/api/ask", json=Q, headers={"origin": "http://testserver"}).status_code == 200
    assert client.post("/api/ask", json=Q, headers={"sec-fetch-site": "same-origin"}).status_code == 200
    assert client.post("/api/ask", json=Q).status_code == 200  # curl, scripts: no Origin at all
    assert client.get("/api/documents", headers={"origin": EVIL}).status_code == 200  # reads are not writes


def test_cors_is_off_by_default(client: TestClient) -> None:
    r = client.get("/api/documents", headers={"origin": EVIL})
    assert "access-control-allow-origin" not in r.headers
    pre = client.options("/api/ask", headers={"origin": EVIL, "access-control-request-method": "POST"})
    assert "access-control-allow-origin" not in pre.headers


def test_allowed_origins_may_write_and_get_cors(data_dir: Path) -> None:
    site = "https://portal.example.gov.cn"
    with TestClient(create_app(settings_for(data_dir, allowed_origins=[site]))) as c:
        r = c.post("/api/ask", json=Q, headers={"origin": site})
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == site
        pre = c.options("/api/ask", headers={"origin": site, "access-control-request-method": "POST",
                                             "access-control-request-headers": "authorization,content-type"})
        assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == site
        assert c.post("/api/ask", json=Q, headers={"origin": EVIL}).status_code == 403


def test_without_keys_only_loopback_host_names_are_served(data_dir: Path) -> None:
    settings = settings_for(data_dir, allowed_hosts=[])  # the default: loopback names when there are no keys
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/documents").status_code == 200
        assert c.get("/api/documents", headers={"host": "localhost:8000"}).status_code == 200
        rebound = c.get("/api/documents", headers={"host": "evil.example:8000"})  # DNS rebinding
        assert rebound.status_code == 400 and rebound.json()["code"] == "host_not_allowed"
        assert c.get("/", headers={"host": "evil.example"}).status_code == 400
    keyed = settings_for(data_dir, allowed_hosts=[], api_keys="key-for-hosts-1:ask")
    with TestClient(create_app(keyed), base_url="http://bot.example.gov.cn") as c:
        assert c.get("/healthz").status_code == 200  # with keys, any Host unless allowed_hosts says otherwise
    pinned = settings_for(data_dir, allowed_hosts=["bot.example.gov.cn"], api_keys="key-for-hosts-1:ask")
    with TestClient(create_app(pinned), base_url="http://other.example") as c:
        assert c.get("/healthz").status_code == 400


def test_webhooks_are_left_to_their_platform_signatures(data_dir: Path) -> None:
    settings = settings_for(data_dir, allowed_hosts=[])  # loopback names only
    with TestClient(create_app(settings), base_url="http://bot.example.gov.cn") as c:
        # no IM bots are configured here: the guard lets the request through and the app says 404, not 400/403
        r = c.post("/im/telegram/main", json={}, headers={"origin": EVIL})
        assert r.status_code == 404
