"""Documents, uploads and their background jobs, deletes, and answering while an ingest runs.

Uploads really run in the isolated ingest worker process (a spawned child), as in the service.
"""

from __future__ import annotations

import threading

import anyio
import pytest
from fastapi.testclient import TestClient

from speechbot.api.errors import UploadTooLarge
from speechbot.api.uploads import Limits, receive_files
from speechbot.server import create_app
from tests.api.speeches import UPLOAD
from tests.api.support import settings_for, state_of

UPLOAD_Q = "白沙镇今年旅游收入多少?"


def upload(client: TestClient, *files: tuple[str, bytes]):
    return client.post("/api/documents", files=[("files", (name, data, "text/plain")) for name, data in files])


def finished(client: TestClient, job_id: str) -> dict:
    assert state_of(client).jobs.wait(timeout=120)
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
    deleting = client.delete("/api/documents/lin")
    assert deleting.status_code == 202 and deleting.json()["files"] == ["linhe.txt"]  # the job names the whole ID
    assert [d["doc_id"] for d in client.get("/api/documents").json()] == ["qingshan.txt"]
    assert client.get("/api/documents/lin").status_code == 404  # a document being deleted is no longer named
    done = finished(client, deleting.json()["job_id"])
    assert done["status"] == "done" and done["outcomes"][0]["doc_id"] == "linhe.txt"


def test_upload_ask_and_delete(client: TestClient) -> None:
    before = client.post("/api/ask", json={"question": UPLOAD_Q}).json()
    assert not before["found"] or "9亿元" not in before["answer"]
    r = upload(client, ("baisha.txt", UPLOAD.encode("gb18030")))
    assert r.status_code == 202
    job = finished(client, r.json()["job_id"])
    assert job["status"] == "done" and job["done"] == job["total"] == 1
    assert job["outcomes"] == [{"path": "baisha.txt", "outcome": "added", "doc_id": "baisha.txt", "detail": ""}]
    after = client.post("/api/ask", json={"question": UPLOAD_Q}).json()
    assert after["found"] and "9亿元" in after["answer"]
    assert after["citations"][0]["doc_id"] == "baisha.txt"

    deleting = client.delete("/api/documents/baisha.txt")
    assert deleting.status_code == 202 and deleting.json()["kind"] == "delete"
    assert "baisha.txt" not in {d["doc_id"] for d in client.get("/api/documents").json()}  # hidden at once
    assert client.get("/api/documents/baisha.txt").status_code == 404
    done = finished(client, deleting.json()["job_id"])
    assert done["status"] == "done" and done["outcomes"][0]["outcome"] == "deleted"
    assert len(client.get("/api/documents").json()) == 2
    assert "baisha.txt" not in {r.doc_id for r in state_of(client).index().documents()}
    assert not (state_of(client).settings.data_dir / "uploads" / r.json()["job_id"]).exists()  # upload removed


def test_several_files_in_one_upload_and_queued_uploads(client: TestClient) -> None:
    first = upload(client, ("a.txt", UPLOAD.encode()), ("b.md", UPLOAD.replace("白沙镇", "黑石镇").encode()))
    second = upload(client, ("a.txt", UPLOAD.encode()))  # queued behind the first; same content again
    assert first.status_code == second.status_code == 202
    one, two = finished(client, first.json()["job_id"]), finished(client, second.json()["job_id"])
    assert one["status"] == two["status"] == "done"
    assert [o["outcome"] for o in one["outcomes"]] == ["added", "added"]
    assert two["outcomes"][0]["outcome"] in ("unchanged", "duplicate")
    assert len(client.get("/api/documents").json()) == 4


def test_files_that_cannot_be_read_fail_alone_in_the_job(client: TestClient) -> None:
    r = upload(client, ("ok.txt", UPLOAD.encode()), ("slides.pptx", b"PK\x03\x04"), ("noext", b"hello"),
               ("binary.txt", bytes(range(256)) * 40), ("empty.txt", b""))
    assert r.status_code == 202, r.text
    job = finished(client, r.json()["job_id"])
    outcomes = {o["path"]: o for o in job["outcomes"]}
    assert job["status"] == "done" and outcomes["ok.txt"]["outcome"] == "added"
    for name in ("slides.pptx", "noext", "binary.txt", "empty.txt"):
        assert outcomes[name]["outcome"] == "failed" and name in outcomes[name]["detail"], outcomes[name]
        assert "\n" not in outcomes[name]["detail"] and "/uploads/" not in outcomes[name]["detail"]
    assert "unsupported file type" in outcomes["slides.pptx"]["detail"]


def test_upload_without_files_is_422(client: TestClient) -> None:
    r = client.post("/api/documents", data={"x": "1"}, files=[("other", ("a.txt", b"x", "text/plain"))])
    assert r.status_code == 422 and "files" in r.json()["detail"]
    assert client.post("/api/documents", json={"files": []}).status_code == 400  # not multipart
    bad = client.post("/api/documents", content=b"--b\r\nnonsense", headers={"content-type": "multipart/form-data; "
                                                                                          "boundary=b"})
    assert bad.status_code in (400, 422)
    assert not any((state_of(client).settings.data_dir / "uploads").iterdir())  # refused uploads leave nothing


def test_file_over_the_size_limit_is_413_before_the_rest_is_read(data_dir, tmp_path) -> None:
    sent = []

    async def body():  # the request stream as the route reads it
        yield b'--b\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n\r\n'
        for _ in range(64):
            sent.append(1)
            yield ("字" * 100_000).encode()  # 300 KB a piece, 19 MB in all
        yield b"\r\n--b--\r\n"

    limits = Limits(file_bytes=1024 * 1024, files=5, mb=1)
    with pytest.raises(UploadTooLarge, match=r"big\.txt"):
        anyio.run(receive_files, {"content-type": "multipart/form-data; boundary=b"}, body(), tmp_path, limits,
                  lambda name: None)
    assert len(sent) == 4  # refused at the piece that crossed 1 MB, not after 19 MB
    assert (tmp_path / "big.txt").stat().st_size <= 1024 * 1024

    with TestClient(create_app(settings_for(data_dir, max_upload_mb=1))) as c:
        r = upload(c, ("big.txt", ("字" * 400_000).encode()))
        assert r.status_code == 413
        assert r.json()["code"] == "file_too_large" and "big.txt" in r.json()["detail"] and "1 MB" in r.json()["detail"]
        assert state_of(c).jobs.store.list() == [] and not any((data_dir / "uploads").iterdir())
        declared = c.post("/api/documents", content=b"x" * 10, headers={
            "content-type": "multipart/form-data; boundary=b", "content-length": str(500 * 1024 * 1024)})
        assert declared.status_code == 413  # refused by its Content-Length before reading


def test_too_many_files_is_422(data_dir) -> None:
    with TestClient(create_app(settings_for(data_dir, max_upload_files=2))) as c:
        r = upload(c, *[(f"f{i}.txt", UPLOAD.encode()) for i in range(3)])
        assert r.status_code == 422 and r.json()["code"] == "too_many_files"
        assert state_of(c).jobs.store.list() == []


def test_an_existing_document_is_replaced_only_when_asked(client: TestClient) -> None:
    changed = UPLOAD.replace("9亿元", "0亿元").replace("白沙镇", "青山市")
    refused = upload(client, ("qingshan.txt", changed.encode()))
    assert refused.status_code == 409 and refused.json()["code"] == "document_exists"
    assert "qingshan.txt" in refused.json()["detail"] and "replace" in refused.json()["detail"]
    answer = client.post("/api/ask", json={"question": "今年青山市招商引资的目标是签约多少个亿元以上项目?"}).json()
    assert "120个" in answer["answer"]
    r = client.post("/api/documents?replace=true", files=[("files", ("qingshan.txt", changed.encode(), "text/plain"))])
    assert r.status_code == 202 and r.json()["replace"] is True
    job = finished(client, r.json()["job_id"])
    assert job["outcomes"][0]["outcome"] == "updated", job
    assert "白沙古渡" in client.get("/api/documents/qingshan.txt").json()["text"]


def test_a_jsonl_line_reusing_a_doc_id_fails_alone_unless_replace(client: TestClient) -> None:
    lines = [{"doc_id": "qingshan.txt", "title": "冒名", "text": "今年青山市招商引资的目标是签约亿元以上项目0个。"},
             {"doc_id": "fresh-1", "title": "新稿", "text": UPLOAD}]
    data = "".join(__import__("json").dumps(x, ensure_ascii=False) + "\n" for x in lines).encode()
    job = finished(client, upload(client, ("batch.jsonl", data)).json()["job_id"])
    by_id = {o["doc_id"]: o for o in job["outcomes"]}
    assert by_id["qingshan.txt"]["outcome"] == "failed" and "already exists" in by_id["qingshan.txt"]["detail"]
    assert by_id["fresh-1"]["outcome"] == "added"
    assert "120个" in client.get("/api/documents/qingshan.txt").json()["text"]


def test_a_failed_job_loses_nothing(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    state = state_of(client)
    old_bot = state.bot

    def crash(paths, progress, replace):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(state.jobs, "run_ingest", crash)
    job = finished(client, upload(client, ("baisha.txt", UPLOAD.encode())).json()["job_id"])
    assert job["status"] == "failed" and "disk on fire" in job["error"] and job["finished"]
    assert state.bot is old_bot
    assert len(client.get("/api/documents").json()) == 2
    assert client.post("/api/ask", json={"question": "临河县改厕多少户?"}).json()["found"]


def test_questions_are_answered_during_an_ingest(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    state = state_of(client)
    real, started, release = state.jobs.run_ingest, threading.Event(), threading.Event()

    def slow(paths, progress, replace):
        started.set()
        assert release.wait(30)
        return real(paths, progress, replace)

    monkeypatch.setattr(state.jobs, "run_ingest", slow)
    job_id = upload(client, ("baisha.txt", UPLOAD.encode())).json()["job_id"]
    assert started.wait(10)
    assert client.get(f"/api/jobs/{job_id}").json()["status"] == "running"
    during = client.post("/api/ask", json={"question": "临河县今年完成改厕多少户?"})
    assert during.status_code == 200 and "5000户" in during.json()["answer"]
    assert len(client.get("/api/documents").json()) == 2  # readers see the old index until the swap
    release.set()
    assert finished(client, job_id)["status"] == "done"
    assert len(client.get("/api/documents").json()) == 3
