"""The ingest queue: one job at a time off the request threads, deletes batched, crashes isolated per file; jobs
in the database, so a second queue (another replica) sees them and never runs one twice."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from ingest.pipeline import FileOutcome, IngestReport
from speechbot.db import database_url, make_engine
from speechbot.jobs import IngestCrashed, Job, JobQueue, JobStore, QueueFull, UnknownJob, safe_name
from speechbot.keys import Principal
from speechbot.locks.file import FileJobLock

ALICE, BOB, ADMIN = Principal("alice", frozenset({"write"})), Principal("bob", frozenset({"write"})), \
    Principal("ops", frozenset({"admin"}))


class Overlap:
    """Counts jobs running at once, across recorders (replicas)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active = self.most = 0

    def run(self) -> None:
        with self.lock:
            self.active += 1
            self.most = max(self.most, self.active)
        time.sleep(0.02)
        with self.lock:
            self.active -= 1


class Recorder:
    def __init__(self, overlap: Overlap | None = None) -> None:
        self.deletes: list[list[str]] = []
        self.ingests: list[list[str]] = []
        self.gate = threading.Event()
        self.gate.set()
        self.crash_on = ""
        self.overlap = overlap or Overlap()

    def ingest(self, paths: list[Path], progress, replace: bool) -> IngestReport:  # type: ignore[no-untyped-def]
        self.gate.wait(10)
        self.overlap.run()
        self.ingests.append([p.name for p in paths])
        if any(p.name == self.crash_on for p in paths):
            raise IngestCrashed(f"ingest ran out of memory on {self.crash_on}")
        report = IngestReport([FileOutcome(str(p), "added", p.name) for p in paths])
        for o in report.outcomes:
            progress(o)
        return report

    def delete(self, doc_ids: list[str]) -> list[str]:
        self.gate.wait(10)
        self.overlap.run()
        self.deletes.append(doc_ids)
        return [d for d in doc_ids if d != "missing"]


def make_queue(data: Path, rec: Recorder, **kw) -> JobQueue:  # type: ignore[no-untyped-def]
    engine = make_engine(database_url("", data))
    q = JobQueue(JobStore(engine), FileJobLock(data / "jobs.lock"), data / "uploads", rec.ingest, rec.delete,
                 lambda: None, **kw)
    q.rec = rec  # type: ignore[attr-defined]
    return q


@pytest.fixture
def queue(tmp_path: Path):  # type: ignore[no-untyped-def]
    q = make_queue(tmp_path, Recorder(), max_queued=5)
    yield q
    q.close()


def status(q: JobQueue, job: Job) -> str:
    return q.get(job.job_id, ADMIN).status


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
    deletes = [queue.get(j.job_id, ALICE) for j in deletes]
    assert [j.status for j in deletes] == ["done"] * 3 and status(queue, first) == "done"
    assert deletes[2].outcomes[0].outcome == "failed" and deletes[0].outcomes[0].outcome == "deleted"
    assert queue.pending_deletes() == set()


def test_a_full_queue_is_refused_quickly(queue: JobQueue) -> None:
    queue.rec.gate.clear()  # type: ignore[attr-defined]
    running = upload(queue, "running.txt")
    while status(queue, running) != "running":  # the worker holds it (blocked at the gate); the queue is empty
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
    job = queue.get(job.job_id, ALICE)
    assert job.status == "done"
    assert [(o.path, o.outcome) for o in job.outcomes] == [("a.txt", "added"), ("bomb.docx", "failed"),
                                                            ("b.txt", "added")]
    assert "out of memory" in job.outcomes[1].detail
    assert queue.rec.ingests[0] == ["a.txt", "bomb.docx", "b.txt"]  # type: ignore[attr-defined]
    assert not (tmp_path / "uploads" / job.job_id).exists()  # the upload is gone after its job


def test_jobs_belong_to_their_owner(queue: JobQueue) -> None:
    mine = upload(queue, "a.txt", owner="alice")
    assert queue.wait(10)
    mine = queue.get(mine.job_id, ALICE)
    assert queue.get(mine.job_id, ADMIN) == mine and mine.owner == "alice"
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


# Two queues on one database and one lock are two replicas of the service.
@pytest.fixture(params=["sqlite+file", "postgresql+redis"])
def replicas(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    from speechbot.locks import make_job_lock

    db_url, redis_url = "", ""
    if request.param == "postgresql+redis":
        db_url, redis_url = request.getfixturevalue("postgres_url"), request.getfixturevalue("redis_url")
    queues, overlap = [], Overlap()
    for _ in range(2):
        rec = Recorder(overlap)
        q = JobQueue(JobStore(make_engine(database_url(db_url, tmp_path))), make_job_lock(redis_url, tmp_path),
                     tmp_path / "uploads", rec.ingest, rec.delete, lambda: None, poll_s=0.1)
        q.rec = rec  # type: ignore[attr-defined]
        queues.append(q)
    yield queues
    for q in queues:
        q.close()


def test_two_replicas_run_each_job_once_in_queue_order(replicas: list[JobQueue]) -> None:
    first, second = replicas
    for q in replicas:
        q.rec.gate.clear()  # type: ignore[attr-defined]
    jobs = []
    for n in range(6):
        q = replicas[n % 2]
        jobs.append(upload(q, f"f{n}.txt") if n % 3 != 2 else q.submit_delete([f"d{n}"], "alice"))
    assert {j.job_id for j in second.list(ADMIN)} == {j.job_id for j in jobs}  # both see every job
    for q in replicas:
        q.rec.gate.set()  # type: ignore[attr-defined]
    assert first.wait(20) and second.wait(20)
    ran = [name for q in replicas for batch in q.rec.ingests for name in batch]  # type: ignore[attr-defined]
    deleted = [d for q in replicas for batch in q.rec.deletes for d in batch]  # type: ignore[attr-defined]
    assert sorted(ran) == ["f0.txt", "f1.txt", "f3.txt", "f4.txt"] and sorted(deleted) == ["d2", "d5"]
    assert [status(first, j) for j in jobs] == ["done"] * 6
    assert first.rec.overlap.most == 1  # type: ignore[attr-defined]  # one job at a time across replicas
    done = [first.get(j.job_id, ADMIN) for j in jobs]
    assert [j.finished for j in done] == sorted(j.finished for j in done)  # type: ignore[type-var]


def test_a_job_left_running_by_a_dead_replica_fails_with_the_reason(tmp_path: Path) -> None:
    store = JobStore(make_engine(database_url("", tmp_path)))
    orphan = Job(job_id="orphan", files=["a.txt"], total=1, owner="alice", status="running")
    store.add(orphan)
    q = make_queue(tmp_path, Recorder(), poll_s=0.1)
    try:
        assert q.wait(10)
        job = q.get("orphan", ADMIN)
        assert job.status == "failed" and "stopped while this job ran" in (job.error or "")
    finally:
        q.close()


def test_an_upload_whose_files_no_replica_can_see_fails_and_the_queue_goes_on(tmp_path: Path) -> None:
    store = JobStore(make_engine(database_url("", tmp_path)))
    store.add(Job(job_id="elsewhere", files=["a.txt"], total=1, owner="alice"))
    q = make_queue(tmp_path, Recorder(), poll_s=0.1)
    try:
        later = q.submit_delete(["d1"], "alice")
        assert q.wait(10)
        assert "SPEECHBOT_DATA_DIR" in (q.get("elsewhere", ADMIN).error or "")
        assert status(q, later) == "done"
    finally:
        q.close()


def test_finished_jobs_beyond_the_limit_are_forgotten(tmp_path: Path) -> None:
    store = JobStore(make_engine(database_url("", tmp_path)))
    for n in range(5):
        store.add(Job(job_id=f"j{n}", kind="delete", files=["d"], total=1, status="done", owner="alice"))
    store.add(Job(job_id="waiting", kind="delete", files=["d"], total=1, owner="alice"))
    assert store.forget_finished(2) == 3
    assert [j.job_id for j in store.list()] == ["waiting", "j4", "j3"]
