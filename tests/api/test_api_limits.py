"""Limits: text lengths on /api and /v1, rate limits per key and per address, a cap on answers computed at once
(while /healthz keeps answering), bad text, and messages that never show the server's folders."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from speechbot.server import create_app
from tests.api.support import settings_for, state_of

Q = "临河县今年完成改厕多少户?"
V1 = "/v1/chat/completions"


def v1_body(*messages: tuple[str, str]) -> dict:
    return {"model": "speechbot", "messages": [{"role": r, "content": c} for r, c in messages]}


@pytest.fixture
def short(data_dir: Path):  # type: ignore[no-untyped-def]
    with TestClient(create_app(settings_for(data_dir, max_question_chars=40))) as c:
        yield c


def test_one_setting_bounds_questions_messages_and_history_on_api_and_v1(short: TestClient) -> None:
    long = "问" * 41
    for url, body, field in (("/api/ask", {"question": long}, "question"),
                             ("/api/ask", {"question": Q, "history": [{"role": "user", "content": long}]},
                              "history.0.content"),
                             ("/api/chat", {"message": long}, "message"),
                             ("/api/search", {"query": long}, "query")):
        r = short.post(url, json=body)
        assert r.status_code == 422 and r.json()["code"] == "invalid_request", (url, r.text)
        assert field in r.json()["detail"] and "40" in r.json()["detail"]
    assert short.post("/api/ask", json={"question": "问" * 38 + "?"}).status_code == 200
    r = short.post(V1, json=v1_body(("user", long)))
    assert r.status_code == 400 and "40" in r.json()["error"]["message"]
    # Clients resend whole conversations with our long answers: earlier turns are cut, not refused.
    ok = short.post(V1, json=v1_body(("user", Q), ("assistant", "答" * 5000), ("user", "那粮食呢?")))
    assert ok.status_code == 200


def test_the_schema_states_the_configured_limit(short: TestClient) -> None:
    components = short.get("/openapi.json").json()["components"]["schemas"]
    assert components["AskRequest"]["properties"]["question"]["maxLength"] == 40
    assert components["ChatRequest"]["properties"]["message"]["maxLength"] == 40
    assert components["HistoryTurn"]["properties"]["content"]["maxLength"] == 40


def test_a_lone_surrogate_is_a_4xx_not_a_500(client: TestClient) -> None:
    raw = '{"model": "speechbot", "messages": [{"role": "user", "content": "\\ud800\u4eca\u5e74"}]}'
    r = client.post(V1, content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 400 and "surrogate" in r.json()["error"]["message"]
    for url, field in (("/api/ask", "question"), ("/api/chat", "message"), ("/api/search", "query")):
        body = '{"' + field + '": "\\udc00\u76ee\u6807"}'
        r = client.post(url, content=body, headers={"content-type": "application/json"})
        assert r.status_code == 422 and "surrogate" in r.json()["detail"], url


def test_deep_json_bodies_are_a_4xx(client: TestClient) -> None:
    deep = '{"question": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert 400 <= client.post("/api/ask", content=deep, headers={"content-type": "application/json"}).status_code < 500
    assert 400 <= client.post(V1, content=deep, headers={"content-type": "application/json"}).status_code < 500


def test_zero_width_and_rtl_marks_do_not_hide_the_answer(client: TestClient) -> None:
    plain = client.post("/api/ask", json={"question": Q}).json()
    hidden = "临\u200b河\u200d县\u200f今年完成\u202e改厕\ufeff多少户?"
    marked = client.post("/api/ask", json={"question": hidden}).json()
    assert plain["found"] and marked["found"] and marked["answer"] == plain["answer"]
    v1 = client.post(V1, json=v1_body(("user", "临\u200b河县今年完成改厕多少户?"))).json()
    assert "5000户" in v1["choices"][0]["message"]["content"]


def test_300_bad_keys_from_one_address_meet_429(data_dir: Path) -> None:
    settings = settings_for(data_dir, api_keys="the-right-key-1:ask")  # default: 20 wrong keys a minute
    with TestClient(create_app(settings)) as c:
        statuses = [c.get("/api/documents", headers={"authorization": f"Bearer guess-{i}"}).status_code
                    for i in range(300)]
        assert statuses.count(401) == 20 and statuses.count(429) == 280
        last = c.get("/v1/models", headers={"authorization": "Bearer the-right-key-1"})
        assert last.status_code == 429 and int(last.headers["retry-after"]) >= 1  # locked out for the window
        assert last.json()["error"]["type"] == "rate_limit_error"


def test_rate_limits_per_key_and_per_address_say_when_to_retry(data_dir: Path) -> None:
    settings = settings_for(data_dir, api_keys="key-a-000001:ask,key-b-000001:ask", rate_limit_key="3/minute",
                            rate_limit_ip="5/minute")
    with TestClient(create_app(settings)) as c:
        a, b = ({"authorization": f"Bearer {k}"} for k in ("key-a-000001", "key-b-000001"))
        assert [c.get("/api/documents", headers=a).status_code for _ in range(4)] == [200, 200, 200, 429]
        r = c.get("/api/documents", headers=b)
        assert r.status_code == 200  # another key has its own allowance...
        r = c.get("/api/documents", headers=b)
        assert r.status_code == 429 and "address" in r.json()["detail"]  # ...but the address has used its 5
        assert 1 <= int(r.headers["retry-after"]) <= 60
        assert c.get("/healthz").status_code == 200  # health checks are never limited


def test_answers_beyond_the_cap_get_503_quickly_while_healthz_answers(data_dir: Path) -> None:
    settings = settings_for(data_dir, max_concurrent_answers=1, answer_queue_s=0.2)
    with TestClient(create_app(settings)) as c:
        state, release, started = state_of(c), threading.Event(), threading.Event()
        real = state.bot.ask

        def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
            started.set()
            assert release.wait(30)
            return real(*args, **kwargs)

        state.bot.ask = slow  # type: ignore[method-assign]
        first: list = []
        worker = threading.Thread(target=lambda: first.append(c.post("/api/ask", json={"question": Q})))
        worker.start()
        assert started.wait(10)
        t0 = time.monotonic()
        busy = c.post("/api/ask", json={"question": Q})
        assert busy.status_code == 503 and busy.headers["retry-after"] == "1" and busy.json()["code"] == "busy"
        assert time.monotonic() - t0 < 5
        assert c.post(V1, json=v1_body(("user", Q))).status_code == 503
        assert c.get("/healthz").status_code == 200 and c.get("/api/documents").status_code == 200
        release.set()
        worker.join(30)
        assert first[0].status_code == 200
        assert c.post("/api/ask", json={"question": Q}).status_code == 200


def test_messages_and_readyz_show_no_absolute_paths(tmp_path: Path, data_dir: Path) -> None:
    empty = tmp_path / "nothing-here"
    with TestClient(create_app(settings_for(empty))) as c:
        ready = c.get("/readyz").json()
        assert ready["index"] == "index" and "no index" in ready["detail"]
        missing = c.get("/api/documents/x.txt").json()["detail"]
        for text in (str(ready), missing):
            assert str(tmp_path) not in text and "/tmp" not in text, text
    with TestClient(create_app(settings_for(data_dir))) as c:
        assert str(data_dir) not in c.get("/readyz").text


def test_an_unexpected_error_is_a_500_without_details(data_dir: Path) -> None:
    with TestClient(create_app(settings_for(data_dir)), raise_server_exceptions=False) as c:
        def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise FileNotFoundError(f"{data_dir}/index/segments/gone/words.terms")

        state_of(c).bot.retrieve = broken  # type: ignore[method-assign]
        r = c.post("/api/search", json={"query": Q})
        assert r.status_code == 500 and r.json()["code"] == "internal_error" and str(data_dir) not in r.text


def test_405_lists_every_method_of_the_path(client: TestClient) -> None:
    r = client.request("PATCH", "/api/documents/linhe.txt")
    assert r.status_code == 405 and set(r.headers["allow"].split(", ")) >= {"GET", "DELETE"}
    assert client.request("OPTIONS", "/api/conversations/x").headers["allow"].count("DELETE") == 1
