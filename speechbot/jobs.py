"""Background ingest: one worker thread, so uploads queue and the index has one writer at a time."""

from __future__ import annotations

import logging
import queue
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ingest.pipeline import FileOutcome, IngestReport
from retrieval.models import now_iso

log = logging.getLogger("speechbot")
JobStatus = Literal["queued", "running", "done", "failed"]
RunIngest = Callable[[list[Path], Callable[[FileOutcome], None]], IngestReport]
_UNSAFE = re.compile(r"[\x00-\x1f/\\:*?\"<>|]+")


class UnknownJob(LookupError):
    """No job with that id."""

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        super().__init__(f"no job {job_id!r}")


class Outcome(BaseModel):
    path: str
    outcome: str  # added, updated, unchanged, duplicate, failed
    doc_id: str = ""
    detail: str = ""


class Job(BaseModel):
    """An upload's ingest, as GET /api/jobs/{id} shows it."""

    id: str
    status: JobStatus = "queued"
    files: list[str]
    done: int = 0  # documents processed so far
    total: int  # files uploaded (a .jsonl file may hold several documents)
    outcomes: list[Outcome] = Field(default_factory=list)
    error: str | None = None
    created: str = Field(default_factory=now_iso)
    finished: str | None = None


@dataclass
class Upload:
    name: str
    data: bytes


def safe_name(name: str) -> str:
    """A file name that stays inside the job folder."""
    base = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip(". ")
    return base or "upload"


class JobQueue:
    """Saves uploads to `<uploads>/<job>/` and ingests them one job at a time.

    Args:
        uploads: the folder that keeps every uploaded file.
        run_ingest: ingests a list of paths, reporting each file's outcome.
        on_change: called after a job that changed the index (the app reopens it there).
    """

    def __init__(self, uploads: Path, run_ingest: RunIngest, on_change: Callable[[], None]) -> None:
        self.uploads = uploads
        self.run_ingest = run_ingest
        self.on_change = on_change
        self.jobs: dict[str, Job] = {}
        self.writing = threading.Lock()  # held while a job writes; deletes take it too
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._worker = threading.Thread(target=self._work, name="speechbot-ingest", daemon=True)
        self._worker.start()

    def submit(self, uploads: list[Upload]) -> Job:
        job_id = uuid.uuid4().hex[:12]
        folder = self.uploads / job_id
        folder.mkdir(parents=True, exist_ok=True)
        names: list[str] = []
        for up in uploads:
            name = _unique(folder, safe_name(up.name))
            (folder / name).write_bytes(up.data)
            names.append(name)
        job = Job(id=job_id, files=names, total=len(names))
        self.jobs[job_id] = job
        self._queue.put(job_id)
        return job

    def get(self, job_id: str) -> Job:
        if job_id not in self.jobs:
            raise UnknownJob(job_id)
        return self.jobs[job_id]

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every queued job has finished (for tests and shutdown); False on timeout."""
        done = threading.Event()
        threading.Thread(target=lambda: (self._queue.join(), done.set()), daemon=True).start()
        return done.wait(timeout)

    def close(self) -> None:
        self._queue.put(None)

    def _work(self) -> None:
        while (job_id := self._queue.get()) is not None:
            try:
                self._run(self.jobs[job_id])
            finally:
                self._queue.task_done()
        self._queue.task_done()

    def _run(self, job: Job) -> None:
        job.status = "running"
        folder = self.uploads / job.id

        def progress(o: FileOutcome) -> None:
            job.outcomes.append(Outcome(path=Path(o.path).name, outcome=o.outcome, doc_id=o.doc_id,
                                        detail=o.detail.replace(str(folder) + "/", "")))
            job.done = len(job.outcomes)

        try:
            with self.writing:
                report = self.run_ingest([folder / name for name in job.files], progress)
                if any(o.outcome in ("added", "updated", "duplicate") for o in report.outcomes):
                    self.on_change()
            job.status = "done"
        except Exception as exc:  # a failed job leaves the index as it was: the writer commits last
            log.exception("ingest job %s failed", job.id)
            job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"
        job.finished = now_iso()


def _unique(folder: Path, name: str) -> str:
    stem, suffix, n = Path(name).stem, Path(name).suffix, 1
    while (folder / name).exists():
        n += 1
        name = f"{stem}-{n}{suffix}"
    return name
