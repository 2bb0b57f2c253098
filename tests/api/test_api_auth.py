"""Keys and scopes over every route of the app: the route list comes from the app itself, so a new route that is
neither public nor given a scope here fails the test until someone decides who may call it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from retrieval.backends import index_version
from speechbot.api.errors import app_routes
from speechbot.server import create_app
from tests.api.speeches import UPLOAD
from tests.api.support import settings_for, state_of

KEYS = {"ask": "ask-key-0001", "ask2": "ask-key-0002", "write": "write-key-0001", "admin": "admin-key-0001"}
SCOPES = {"ask": {"ask"}, "ask2": {"ask"}, "write": {"write"}, "admin": {"ask", "write", "admin"}}
API_KEYS = "ask-key-0001:ask,ask-key-0002,write-key-0001:write,admin-key-0001:admin"  # a bare key may ask
PUBLIC = {"/", "/static", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json", "/healthz", "/readyz",
          "/static-offline-docs", "/favicon.ico"}  # the last two: Swagger UI/ReDoc files (fastapi-offline), the icon
# (method, path) -> the scope a key needs. Every route of the app must be here or in PUBLIC.
NEEDS = {
    ("POST", "/api/ask"): "ask",
    ("POST", "/api/chat"): "ask",
    ("POST", "/api/search"): "ask",
    ("GET", "/api/conversations"): "ask",
    ("GET", "/api/conversations/{conversation_id}"): "ask",
    ("DELETE", "/api/conversations/{conversation_id}"): "ask",
    ("GET", "/api/documents"): "ask",
    ("GET", "/api/documents/{doc_id:path}"): "ask",
    ("POST", "/api/documents"): "write",
    ("DELETE", "/api/documents/{doc_id:path}"): "write",
    ("GET", "/api/jobs"): "write",
    ("GET", "/api/jobs/{job_id}"): "write",
    ("GET", "/api/settings"): "admin",
    ("GET", "/v1/models"): "ask",
    ("POST", "/v1/chat/completions"): "ask",
}
Q = "临河县今年粮食播种面积要稳定在多少?"
BODIES = {"/api/ask": {"question": Q}, "/api/chat": {"message": Q}, "/api/search": {"query": Q},
          "/v1/chat/completions": {"model": "speechbot", "messages": [{"role": "user", "content": Q}]}}


@pytest.fixture
def keyed(data_dir: Path) -> Iterator[TestClient]:
    settings = settings_for(data_dir, api_keys=API_KEYS, rate_limit_auth_failures="", rate_limit_ip="",
                            rate_limit_key="")
    with TestClient(create_app(settings)) as c:
        yield c


def routes(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(method, path) of every route the app serves, taken from the app."""
    return [(m, path) for methods, path in app_routes(app) for m in sorted(methods - {"HEAD"})]


def call(client: TestClient, method: str, path: str, key: str | None = None):  # type: ignore[no-untyped-def]
    url = re.sub(r"\{(\w+)(:path)?\}", lambda m: {"doc_id": "linhe.txt"}.get(m.group(1), "x"), path)
    headers = {"authorization": f"Bearer {key}"} if key else {}
    if path == "/api/documents" and method == "POST":
        return client.post(url, files=[("files", ("new.txt", UPLOAD.encode(), "text/plain"))], headers=headers)
    return client.request(method, url, json=BODIES.get(path), headers=headers)


def test_every_route_is_public_or_needs_a_named_scope(keyed: TestClient) -> None:
    found = routes(keyed.app)
    assert len(found) >= len(NEEDS)
    unclassified = [(m, p) for m, p in found if p not in PUBLIC and (m, p) not in NEEDS]
    assert not unclassified, f"new routes need a scope in NEEDS (or PUBLIC): {unclassified}"
    assert set(NEEDS) <= set(found), "NEEDS lists routes the app no longer has"


def test_without_a_right_key_no_route_changes_or_reveals_anything(keyed: TestClient) -> None:
    state = state_of(keyed)
    version = index_version(state.settings.index_dir())
    for method, path in NEEDS:
        for key in (None, "wrong-key-0000", KEYS["ask"] + "x"):
            r = call(keyed, method, path, key)
            assert r.status_code == 401, (method, path, key, r.status_code)
            assert r.headers["www-authenticate"] == "Bearer"
            assert "linhe" not in r.text and "临河" not in r.text
    assert state.jobs.store.list() == [] and state.conversations.list() == []
    assert index_version(state.settings.index_dir()) == version and state.index().n_documents == 2


@pytest.mark.parametrize("who", ["ask", "write", "admin"])
def test_each_scope_reaches_exactly_its_routes(keyed: TestClient, who: str) -> None:
    for (method, path), scope in NEEDS.items():
        r = call(keyed, method, path, KEYS[who])
        if scope in SCOPES[who]:
            assert r.status_code not in (401, 403), (who, method, path, r.status_code, r.text[:200])
        else:
            assert r.status_code == 403 and r.json()["code"] == "forbidden" if not path.startswith("/v1/") \
                else r.status_code == 403, (who, method, path, r.status_code)
            assert scope in r.text


def test_public_routes_answer_without_a_key_and_readyz_shows_only_readiness(keyed: TestClient) -> None:
    for path in ("/", "/healthz", "/openapi.json", "/docs", "/redoc", "/static/app.js", "/favicon.ico"):
        assert keyed.get(path).status_code == 200, path
    anonymous = keyed.get("/readyz").json()
    assert anonymous == {"ready": True}
    full = keyed.get("/readyz", headers={"authorization": f"Bearer {KEYS['ask']}"}).json()
    assert full["documents"] == 2 and full["index"] == "index"
    assert keyed.get("/readyz", headers={"authorization": "Bearer wrong-key-0000"}).status_code == 401


def test_conversations_belong_to_the_key_that_started_them(keyed: TestClient) -> None:
    mine, theirs, admin = ({"authorization": f"Bearer {KEYS[n]}"} for n in ("ask", "ask2", "admin"))
    cid = keyed.post("/api/chat", json={"message": Q}, headers=mine).json()["conversation_id"]
    assert [c["id"] for c in keyed.get("/api/conversations", headers=mine).json()] == [cid]
    assert keyed.get("/api/conversations", headers=theirs).json() == []
    for method in ("GET", "DELETE"):
        r = keyed.request(method, f"/api/conversations/{cid}", headers=theirs)
        assert r.status_code == 404  # as unknown as a missing one
    follow = keyed.post("/api/chat", json={"conversation_id": cid, "message": "那改厕呢?"}, headers=theirs)
    assert follow.status_code == 404
    assert [c["id"] for c in keyed.get("/api/conversations", headers=admin).json()] == [cid]
    assert keyed.get(f"/api/conversations/{cid}", headers=admin).json()["messages"] == 2
    assert keyed.delete(f"/api/conversations/{cid}", headers=admin).status_code == 200


def test_jobs_belong_to_their_key_and_admin_sees_all(keyed: TestClient, data_dir: Path) -> None:
    writer, admin = ({"authorization": f"Bearer {KEYS[n]}"} for n in ("write", "admin"))
    job = keyed.delete("/api/documents/linhe.txt", headers=writer).json()
    assert keyed.get(f"/api/jobs/{job['job_id']}", headers=writer).status_code == 200
    assert [j["job_id"] for j in keyed.get("/api/jobs", headers=admin).json()] == [job["job_id"]]
    assert state_of(keyed).jobs.wait(60)
    assert "linhe.txt" not in {r.doc_id for r in state_of(keyed).index().documents()}


def test_admin_settings_list_key_names_never_keys(keyed: TestClient) -> None:
    body = keyed.get("/api/settings", headers={"authorization": f"Bearer {KEYS['admin']}"}).json()
    assert body["auth"] is True and {k["name"] for k in body["keys"]} and body["allowed_hosts"]
    assert not any(key in str(body) for key in KEYS.values())
    assert {tuple(k["scopes"]) for k in body["keys"]} == {("ask",), ("write",), ("admin",)}


def test_a_bad_keys_setting_is_refused_at_start(data_dir: Path) -> None:
    from speechbot.keys import KeysError

    for bad in ("short:ask", "long-enough-key:read", "long-enough-key:ask+root"):
        with pytest.raises(KeysError):
            create_app(settings_for(data_dir, api_keys=bad))
