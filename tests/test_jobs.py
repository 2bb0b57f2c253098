"""The ingest queue: one job at a time off the request threads, deletes batched, crashes isolated per file."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from ingest.pipeline import FileOutcome, IngestReport
from speechbot.jobs import IngestCrashed, JobQueue, QueueFull, UnknownJob, safe_name
from speechbot.keys import Principal

ALICE, BOB, ADMIN = Principal("alice", frozenset({"write"})), Principal("bob", frozenset({"write"})), \
    Principal("ops", frozenset({"admin"}))


class Recorder:
    def __init__(self) -> None:
        self.deletes: list[list[str]] = []
        self.ingests: list[list[str]] = []
        self.gate = threading.Event()
        self.gate.set()
        self.crash_on = ""

    def ingest(self, paths: list[Path], progress, replace: bool) -> IngestReport:  # type: ignore[no-untyped-def]
        self.gate.wait(10)
        self.ingests.append([p.name for p in paths])
        if any(p.name == self.crash_on for p in paths):
            raise IngestCrashed(f"ingest ran out of memory on {self.crash_on}")
        report = IngestReport([FileOutcome(str(p), "added", p.name) for p in paths])
        for o in report.outcomes:
            progress(o)
        return report

    def delete(self, doc_ids: list[str]) -> list[str]:
        self.gate.wait(10)
        self.deletes.append(doc_ids)
        return [d for d in doc_ids if d != "missing"]


@pytest.fixture
def queue(tmp_path: Path):  # type: ignore[no-untyped-def]
    rec = Recorder()
    q = JobQueue(tmp_path / "uploads", rec.ingest, rec.delete, lambda: None, max_queued=5)
    q.rec = rec  # type: ignore[attr-defined]
    yield q
    q.close()


def upload(q: JobQueue, *names: str, owner: str = "alice"):  # type: ignore[no-untyped-def]
    job_id, folder = q.new_upload()
    for name in names:
        (folder / name).write_text("x", encoding="utf-8")
    return q.submit_ingest(job_id, list(names), owner)


def test_queued_deletes_run_together_after_the_job_before_them(queue: JobQueue) -> None:
    queue.rec.gate.clear()  # type: ignore[attr-defined]
    first = upload(queue, "a.txt")
    deletes = [queue.submit_delete([d], "alice") for d in ("d1", "d2", "missing")]
    assert queue.pending_deletes() == {"d1", "d2", "missing"}
    queue.rec.gate.set()  # type: ignore[attr-defined]
    assert queue.wait(10)
    assert queue.rec.deletes == [["d1", "d2", "missing"]]  # type: ignore[attr-defined]
    assert [j.status for j in deletes] == ["done"] * 3 and first.status == "done"
    assert deletes[2].outcomes[0].outcome == "failed" and deletes[0].outcomes[0].outcome == "deleted"
    assert queue.pending_deletes() == set()


def test_a_full_queue_is_refused_quickly(queue: JobQueue) -> None:
    queue.rec.gate.clear()  # type: ignore[attr-defined]
    running = upload(queue, "running.txt")
    while running.status != "running":  # the worker holds it (blocked at the gate); the queue is empty
        time.sleep(0.01)
    for i in range(5):
        queue.submit_delete([f"d{i}"], "alice")
    with pytest.raises(QueueFull):
        queue.submit_delete(["one-more"], "alice")
    with pytest.raises(QueueFull):
        queue.new_upload()
    queue.rec.gate.set()  # type: ignore[attr-defined]
    assert queue.wait(10)


def test_when_the_worker_dies_only_the_file_that_kills_it_fails(queue: JobQueue, tmp_path: Path) -> None:
    queue.rec.crash_on = "bomb.docx"  # type: ignore[attr-defined]
    job = upload(queue, "a.txt", "bomb.docx", "b.txt")
    assert queue.wait(10)
    assert job.status == "done"
    assert [(o.path, o.outcome) for o in job.outcomes] == [("a.txt", "added"), ("bomb.docx", "failed"),
                                                            ("b.txt", "added")]
    assert "out of memory" in job.outcomes[1].detail
    assert queue.rec.ingests[0] == ["a.txt", "bomb.docx", "b.txt"]  # type: ignore[attr-defined]
    assert not (tmp_path / "uploads" / job.job_id).exists()  # the upload is gone after its job


def test_jobs_belong_to_their_owner(queue: JobQueue) -> None:
    mine = upload(queue, "a.txt", owner="alice")
    assert queue.get(mine.job_id, ALICE) is mine and queue.get(mine.job_id, ADMIN) is mine
    with pytest.raises(UnknownJob):
        queue.get(mine.job_id, BOB)
    assert queue.list(BOB) == [] and queue.list(ADMIN) == [mine]
    assert "owner" not in mine.model_dump()


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd.txt", "passwd.txt"), ("..\\..\\win.ini.txt", "win.ini.txt"), ("/abs/x.md", "x.md"),
    ("..", "upload"), ("a:b*c?.txt", "a_b_c_.txt"), ("报告" * 100 + ".docx", None),
])
def test_safe_names_stay_in_the_folder_and_fit_the_file_system(name: str, expected: str | None) -> None:
    safe = safe_name(name)
    assert "/" not in safe and "\\" not in safe and safe not in ("", ".", "..")
    assert len(safe.encode()) <= 160
    if expected:
        assert safe == expected
    else:
        assert safe.endswith(".docx") and safe.startswith("报告")
