"""POST /api/chat (JSON and Server-Sent Events) and the conversations it keeps, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from speechbot.settings import Settings
from tests.api.support import parse_sse, settings_for, state_of

Q = "临河县今年粮食播种面积要稳定在多少?"
SSE = {"accept": "text/event-stream"}


@pytest.fixture
def settings(data_dir, database_url: str) -> Settings:  # type: ignore[no-untyped-def]
    """Every test here on both conversation databases (the database_url fixture: SQLite, a real PostgreSQL)."""
    return settings_for(data_dir, database_url=database_url)


def test_chat_starts_a_conversation_and_uses_its_history(client: TestClient) -> None:
    first = client.post("/api/chat", json={"message": Q})
    assert first.status_code == 200
    cid = first.json()["conversation_id"]
    assert first.json()["found"] and "52万亩" in first.json()["answer"]

    follow = client.post("/api/chat", json={"conversation_id": cid, "message": "那改厕呢?"})
    assert follow.status_code == 200
    assert follow.json()["conversation_id"] == cid
    assert "临河" in follow.json()["query"]  # rewritten with the place from the first question

    conv = client.get(f"/api/conversations/{cid}").json()
    assert [m["role"] for m in conv["history"]] == ["user", "assistant", "user", "assistant"]
    assert conv["history"][1]["answer"]["citations"]
    assert conv["title"].startswith("临河县")
    listed = client.get("/api/conversations").json()
    assert [c["id"] for c in listed] == [cid] and listed[0]["messages"] == 4


def test_delete_conversation(client: TestClient) -> None:
    cid = client.post("/api/chat", json={"message": Q}).json()["conversation_id"]
    assert client.delete(f"/api/conversations/{cid}").json() == {"deleted": cid}
    assert client.get(f"/api/conversations/{cid}").status_code == 404
    assert client.get("/api/conversations").json() == []


@pytest.mark.parametrize(("method", "url"), [
    ("get", "/api/conversations/nope"),
    ("delete", "/api/conversations/nope"),
])
def test_unknown_conversation_is_404(client: TestClient, method: str, url: str) -> None:
    r = client.request(method, url)
    assert r.status_code == 404
    assert r.json() == {"code": "unknown_conversation", "detail": "no conversation 'nope'"}


def test_chat_in_unknown_conversation_is_404_streamed_or_not(client: TestClient) -> None:
    body = {"conversation_id": "nope", "message": Q}
    assert client.post("/api/chat", json=body).status_code == 404
    r = client.post("/api/chat", json=body, headers=SSE)
    assert r.status_code == 404 and r.json()["code"] == "unknown_conversation"


@pytest.mark.parametrize("body", [{}, {"message": ""}, {"message": "  "}, {"message": "字" * 2001}])
def test_bad_chat_is_422(client: TestClient, body: dict) -> None:
    r = client.post("/api/chat", json=body)
    assert r.status_code == 422 and "message" in r.json()["detail"]


def test_streamed_chat_sends_citations_then_deltas_then_the_final_answer(client: TestClient) -> None:
    r = client.post("/api/chat", json={"message": Q}, headers=SSE)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(r.text)
    names = [name for name, _ in events]
    assert names[0] == "citations" and names[-1] == "final"
    assert set(names[1:-1]) == {"delta"} and len(names) > 3
    final = events[-1][1]
    assert "".join(d["text"] for n, d in events if n == "delta") == final["answer"]
    assert events[0][1]["citations"] == final["citations"]
    assert final["conversation_id"] == events[0][1]["conversation_id"]
    # the streamed exchange is kept like a plain one
    same = client.post("/api/ask", json={"question": Q}).json()
    assert final["answer"] == same["answer"]
    conv = client.get(f"/api/conversations/{final['conversation_id']}").json()
    assert conv["history"][1]["content"] == final["answer"]


def test_a_failure_mid_stream_is_an_error_event(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("index exploded")

    monkeypatch.setattr(state_of(client).bot.searcher, "search", broken)
    r = client.post("/api/chat", json={"message": Q}, headers=SSE)
    assert r.status_code == 200
    events = parse_sse(r.text)
    assert events[-1][0] == "error"
    assert "index exploded" in events[-1][1]["detail"]


class ScriptedGenerator:
    """A generative answerer that streams a fixed reply, then replaces it with a corrected one."""

    def answer(self, question, citations, fallback):  # type: ignore[no-untyped-def]
        return fallback.model_copy(update={"answer": "模型回答[1]", "mode": "llm"})

    def condense(self, question, history):  # type: ignore[no-untyped-def]
        return None

    def stream(self, question, citations, fallback):  # type: ignore[no-untyped-def]
        from bot.llm.events import delta, final

        yield delta("草稿")
        yield delta("回答")
        yield final(fallback.model_copy(update={"answer": "更正后的回答[1]", "mode": "llm"}), "草稿回答", "已更正")


def test_with_a_generator_the_stream_carries_its_deltas_and_final(settings) -> None:  # type: ignore[no-untyped-def]
    from speechbot import wiring
    from speechbot.server import create_app

    def factory(s):  # type: ignore[no-untyped-def]
        bot = wiring.make_bot(s)
        bot.generator = ScriptedGenerator()
        return bot

    with TestClient(create_app(settings, bot_factory=factory)) as c:
        events = parse_sse(c.post("/api/chat", json={"message": Q}, headers=SSE).text)
        assert [n for n, _ in events] == ["citations", "delta", "delta", "final"]
        final = events[-1][1]
        assert final["answer"] == "更正后的回答[1]" and final["mode"] == "llm" and final["replaced"] is True
        assert final["citations"] == events[0][1]["citations"]
        plain = c.post("/api/chat", json={"message": Q}).json()
        assert plain["answer"] == "模型回答[1]"
        assert c.get("/v1/models").status_code in (200, 401)  # the OpenAI-compatible channel is mounted
