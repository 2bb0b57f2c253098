"""POST /api/ask and POST /api/search."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bot.models import Answer

Q = "青山市今年招商引资的目标是多少?"


def test_ask_answers_with_the_cli_answer_object(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": Q})
    assert r.status_code == 200
    answer = Answer.model_validate(r.json())
    assert answer.found
    assert "120" in answer.answer
    assert set(r.json()) == set(Answer.model_fields)
    assert answer.citations[0].doc_id == "qingshan.txt"
    assert answer.citations[0].speaker


def test_ask_uses_filters_and_top_k(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": Q, "filters": {"doc_ids": ["linhe.txt"]}, "top_k": 2})
    assert r.status_code == 200
    assert all(c["doc_id"] == "linhe.txt" for c in r.json()["citations"])
    assert len(r.json()["citations"]) <= 2


def test_ask_with_history_rewrites_the_follow_up(client: TestClient) -> None:
    history = [{"role": "user", "content": Q}, {"role": "assistant", "content": "签约亿元以上项目120个"}]
    r = client.post("/api/ask", json={"question": "那数字经济呢?", "history": history})
    assert r.status_code == 200
    assert r.json()["query"] != "那数字经济呢?"


@pytest.mark.parametrize(("body", "field"), [
    ({}, "question"),
    ({"question": ""}, "question"),
    ({"question": "   \n "}, "question"),
    ({"question": "问" * 2001}, "question"),
    ({"question": Q, "top_k": 0}, "top_k"),
    ({"question": Q, "filters": {"date_from": "not a date"}}, "filters.date_from"),
    ({"question": Q, "history": [{"role": "robot", "content": "x"}]}, "history"),
    ({"question": Q, "surprise": 1}, "surprise"),
])
def test_bad_ask_is_a_422_that_names_the_field(client: TestClient, body: dict, field: str) -> None:
    r = client.post("/api/ask", json=body)
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_request"
    assert field in r.json()["detail"]


def test_question_of_exactly_2000_characters_is_accepted(client: TestClient) -> None:
    assert client.post("/api/ask", json={"question": "招商" * 1000}).status_code == 200


def test_malformed_json_is_a_422(client: TestClient) -> None:
    r = client.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["detail"]


def test_search_is_the_retrieval_step_of_ask(client: TestClient) -> None:
    asked = client.post("/api/ask", json={"question": Q}).json()
    r = client.post("/api/search", json={"query": Q})
    assert r.status_code == 200
    hits = r.json()["hits"]
    assert [(h["doc_id"], h["start"]) for h in hits] == [(c["doc_id"], c["start"]) for c in asked["citations"]]
    for h in hits:
        for name in ("lexical", "fused", "rerank"):
            assert 0.0 <= h["scores"][name] <= 1.0
        assert "dense" in h["scores"]


def test_search_validates_like_ask(client: TestClient) -> None:
    assert client.post("/api/search", json={"query": ""}).status_code == 422
    assert client.post("/api/search", json={"query": "x" * 2001}).status_code == 422
    assert client.post("/api/search", json={"query": "粮食", "top_k": 51}).status_code == 422
