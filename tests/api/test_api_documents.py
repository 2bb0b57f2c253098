"""Documents, uploads and their background jobs, deletes, and answering while an ingest runs."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from speechbot.server import create_app
from tests.api.speeches import UPLOAD
from tests.api.support import settings_for, state_of

UPLOAD_Q = "白沙镇今年旅游收入多少?"


def upload(client: TestClient, *files: tuple[str, bytes]):
    return client.post("/api/documents", files=[("files", (name, data, "text/plain")) for name, data in files])


def finished(client: TestClient, job_id: str) -> dict:
    assert state_of(client).jobs.wait(timeout=60)
    return client.get(f"/api/jobs/{job_id}").json()


def test_list_and_show_documents(client: TestClient) -> None:
    docs = client.get("/api/documents").json()
    assert {d["doc_id"] for d in docs} == {"qingshan.txt", "linhe.txt"}
    qs = next(d for d in docs if d["doc_id"] == "qingshan.txt")
    assert qs["speaker"] == "王明远" and qs["date"] == "2024-02-01" and qs["chunks"] >= 1 and qs["added"]
    detail = client.get("/api/documents/qingshan.txt").json()
    assert "120个" in detail["text"] and "120个" in detail["raw"]
    spans = detail["chunk_spans"]
    assert spans and spans[0]["start"] == 0 and all(s["end"] <= len(detail["text"]) for s in spans)


def test_unknown_document_is_404(client: TestClient) -> None:
    for method in ("get", "delete"):
        r = client.request(method, "/api/documents/nope.txt")
        assert r.status_code == 404 and r.json()["code"] == "unknown_document"
        assert "nope.txt" in r.json()["detail"]
    assert client.get("/api/jobs/nope").status_code == 404


def test_a_unique_id_prefix_names_the_document(client: TestClient) -> None:
    assert client.get("/api/documents/qing").json()["doc_id"] == "qingshan.txt"
    assert client.delete("/api/documents/lin").json() == {"deleted": "linhe.txt"}
    assert [d["doc_id"] for d in client.get("/api/documents").json()] == ["qingshan.txt"]


def test_upload_ask_and_delete(client: TestClient) -> None:
    before = client.post("/api/ask", json={"question": UPLOAD_Q}).json()
    assert not before["found"] or "9亿元" not in before["answer"]
    r = upload(client, ("baisha.txt", UPLOAD.encode("gb18030")))
    assert r.status_code == 202
    job = finished(client, r.json()["id"])
    assert job["status"] == "done" and job["done"] == job["total"] == 1
    assert job["outcomes"] == [{"path": "baisha.txt", "outcome": "added", "doc_id": "baisha.txt", "detail": ""}]
    after = client.post("/api/ask", json={"question": UPLOAD_Q}).json()
    assert after["found"] and "9亿元" in after["answer"]
    assert after["citations"][0]["doc_id"] == "baisha.txt"

    assert client.delete("/api/documents/baisha.txt").json() == {"deleted": "baisha.txt"}
    assert "baisha.txt" not in {d["doc_id"] for d in client.get("/api/documents").json()}
    assert len(client.get("/api/documents").json()) == 2


def test_several_files_in_one_upload_and_queued_uploads(client: TestClient) -> None:
    first = upload(client, ("a.txt", UPLOAD.encode()), ("b.md", UPLOAD.replace("白沙镇", "黑石镇").encode()))
    second = upload(client, ("a.txt", UPLOAD.encode()))  # queued behind the first; same content again
    assert first.status_code == second.status_code == 202
    one, two = finished(client, first.json()["id"]), finished(client, second.json()["id"])
    assert one["status"] == two["status"] == "done"
    assert [o["outcome"] for o in one["outcomes"]] == ["added", "added"]
    assert two["outcomes"][0]["outcome"] in ("unchanged", "duplicate")
    assert len(client.get("/api/documents").json()) == 4


@pytest.mark.parametrize(("files", "status", "code", "named"), [
    ([("slides.pptx", b"PK\x03\x04")], 415, "unsupported_file_type", "slides.pptx"),
    ([("noext", b"hello")], 415, "unsupported_file_type", "noext"),
    ([("binary.txt", bytes(range(256)) * 40)], 422, "undecodable_file", "binary.txt"),
    ([("empty.txt", b"")], 422, "undecodable_file", "empty.txt"),
    ([("ok.txt", UPLOAD.encode()), ("bad.exe", b"MZ")], 415, "unsupported_file_type", "bad.exe"),
])
def test_bad_uploads_are_rejected_with_the_file_named(client: TestClient, files, status, code, named) -> None:
    r = upload(client, *files)
    assert r.status_code == status, r.text
    assert r.json()["code"] == code and named in r.json()["detail"]
    assert state_of(client).jobs.jobs == {}  # nothing queued, not even the good file


def test_upload_without_files_is_422(client: TestClient) -> None:
    r = client.post("/api/documents", data={"x": "1"})
    assert r.status_code == 422 and "files" in r.json()["detail"]


def test_file_over_the_size_limit_is_413(data_dir) -> None:
    with TestClient(create_app(settings_for(data_dir, max_upload_mb=1))) as c:
        r = upload(c, ("big.txt", ("字" * 400_000).encode()))
        assert r.status_code == 413
        assert r.json()["code"] == "file_too_large" and "big.txt" in r.json()["detail"] and "1 MB" in r.json()["detail"]


def test_a_failed_job_loses_nothing(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    state = state_of(client)
    old_bot = state.bot

    def crash(paths, progress):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(state.jobs, "run_ingest", crash)
    job = finished(client, upload(client, ("baisha.txt", UPLOAD.encode())).json()["id"])
    assert job["status"] == "failed" and "disk on fire" in job["error"] and job["finished"]
    assert state.bot is old_bot
    assert len(client.get("/api/documents").json()) == 2
    assert client.post("/api/ask", json={"question": "临河县改厕多少户?"}).json()["found"]


def test_questions_are_answered_during_an_ingest(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    state = state_of(client)
    real, started, release = state.jobs.run_ingest, threading.Event(), threading.Event()

    def slow(paths, progress):
        started.set()
        assert release.wait(30)
        return real(paths, progress)

    monkeypatch.setattr(state.jobs, "run_ingest", slow)
    job_id = upload(client, ("baisha.txt", UPLOAD.encode())).json()["id"]
    assert started.wait(10)
    assert client.get(f"/api/jobs/{job_id}").json()["status"] == "running"
    during = client.post("/api/ask", json={"question": "临河县今年完成改厕多少户?"})
    assert during.status_code == 200 and "5000户" in during.json()["answer"]
    assert len(client.get("/api/documents").json()) == 2  # readers see the old index until the swap
    release.set()
    assert finished(client, job_id)["status"] == "done"
    assert len(client.get("/api/documents").json()) == 3
