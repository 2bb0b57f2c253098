"""The service under hostile uploads and outside changes: bad files fail alone in the job while the server keeps
answering, a worker that dies takes only its file with it, and an index changed by the CLI is picked up."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from ingest.pipeline import optimize, remove_documents
from speechbot import wiring
from speechbot.server import create_app
from tests.api.speeches import UPLOAD
from tests.api.support import settings_for, state_of
from tests.ingest.hostile import HOSTILE

Q = "临河县今年完成改厕多少户?"


def test_a_hostile_upload_fails_file_by_file_while_the_good_file_is_ingested(client: TestClient,
                                                                             tmp_path: Path) -> None:
    files = [("files", ("good.txt", UPLOAD.encode(), "text/plain"))]
    for make in HOSTILE.values():
        path = make(tmp_path)
        files.append(("files", (path.name, path.read_bytes(), "application/octet-stream")))
    r = client.post("/api/documents", files=files)
    assert r.status_code == 202, r.text
    assert client.get("/healthz").status_code == 200
    assert "5000户" in client.post("/api/ask", json={"question": Q}).json()["answer"]  # answering meanwhile
    assert state_of(client).jobs.wait(120)
    job = client.get(f"/api/jobs/{r.json()['job_id']}").json()
    outcomes = {o["path"]: o for o in job["outcomes"]}
    assert job["status"] == "done" and outcomes["good.txt"]["outcome"] == "added"
    failed = [o for o in job["outcomes"] if o["outcome"] == "failed"]
    assert len(failed) == len(HOSTILE)
    for o in failed:
        assert o["detail"] and "\n" not in o["detail"] and "Traceback" not in o["detail"], o
        assert str(tmp_path) not in o["detail"] and "uploads/" not in o["detail"], o
    assert "赵一帆" in client.get("/api/documents/good.txt").json()["speaker"]


def test_an_ingest_worker_that_runs_out_of_memory_fails_its_job_not_the_server(data_dir: Path) -> None:
    with TestClient(create_app(settings_for(data_dir, ingest_memory_mb=256))) as c:
        r = c.post("/api/documents", files=[("files", ("a.txt", UPLOAD.encode(), "text/plain")),
                                            ("files", ("b.txt", UPLOAD.replace("白沙镇", "黑石镇").encode(),
                                                       "text/plain"))])
        assert state_of(c).jobs.wait(120)
        job = c.get(f"/api/jobs/{r.json()['job_id']}").json()
        assert job["status"] == "done"
        assert [o["outcome"] for o in job["outcomes"]] == ["failed", "failed"]  # each file tried alone, then failed
        assert all("ran out of memory" in o["detail"] for o in job["outcomes"])
        assert c.get("/healthz").status_code == 200
        assert c.post("/api/ask", json={"question": Q}).json()["found"]


def test_the_server_notices_an_index_changed_by_the_cli(data_dir: Path, tmp_path: Path) -> None:
    settings = settings_for(data_dir, index_poll_s=0.1)
    with TestClient(create_app(settings)) as c:
        assert "baisha.txt" not in {d["doc_id"] for d in c.get("/api/documents").json()}
        src = tmp_path / "new"
        src.mkdir()
        (src / "baisha.txt").write_text(UPLOAD, encoding="utf-8")
        assert wiring.make_ingestor(settings).run([src]).count("added") == 1  # as `speechbot ingest` would
        deadline = time.monotonic() + 10
        while "baisha.txt" not in {d["doc_id"] for d in c.get("/api/documents").json()}:
            assert time.monotonic() < deadline, "the server never reloaded"
            time.sleep(0.1)
        assert "9亿元" in c.post("/api/ask", json={"question": "白沙镇今年旅游收入多少?"}).json()["answer"]


def test_answers_under_way_keep_the_index_they_opened_while_the_cli_rewrites_it(data_dir: Path) -> None:
    """A CLI delete and optimize while serving: the generation the server holds keeps its files until it lets go
    (readers hold theirs; nothing a reader holds is removed), so a request in flight never finds them gone."""
    settings = settings_for(data_dir, index_poll_s=3600)  # no reload until asked
    with TestClient(create_app(settings)) as c:
        held = state_of(c).bot  # what a request in flight holds
        opened = [s.folder for s in held.searcher.index.segments]
        remove_documents(settings.index_dir(), ["linhe.txt"])  # speechbot docs rm linhe.txt
        optimize(settings.index_dir())  # speechbot index optimize: the segments it opened leave the index
        assert all(folder.exists() for folder in opened)
        answer = held.ask(Q)
        assert answer.found and "5000户" in answer.answer  # still readable, texts included
        assert state_of(c).refresh()
        assert not {s.folder for s in state_of(c).index().segments} & set(opened)
        assert "linhe.txt" not in {d["doc_id"] for d in c.get("/api/documents").json()}
        assert "5000户" not in c.post("/api/ask", json={"question": Q}).json()["answer"]
        del held, answer
