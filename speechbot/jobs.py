"""The ingest queue: uploads and deletes run one at a time on one worker thread, never on a request thread.

Consecutive queued deletes are applied in one index version. An upload's files are removed when its job ends.
"""

from __future__ import annotations

import logging
import re
import shutil
import threading
import uuid
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ingest.pipeline import FileOutcome, IngestReport
from retrieval.store import now_iso
from speechbot.keys import Principal

log = logging.getLogger("speechbot")
JobStatus = Literal["queued", "running", "done", "failed"]
JobKind = Literal["ingest", "delete"]
Progress = Callable[[FileOutcome], None]
RunIngest = Callable[[list[Path], Progress, bool], IngestReport]  # (paths, progress, replace)
RunDelete = Callable[[list[str]], list[str]]  # doc ids -> those removed
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
NAME_BYTES = 160  # file names are cut to this many UTF-8 bytes (file systems allow 255)
KEEP_FINISHED = 1000  # finished jobs remembered for GET /api/jobs


class UnknownJob(LookupError):
    """No job with that id (or not one of the caller's)."""

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        super().__init__(f"no job {job_id!r}")


class QueueFull(RuntimeError):
    """Too many jobs are waiting; the caller should try again later."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"{limit} jobs are already waiting for the index; try again later")


class IngestCrashed(RuntimeError):
    """The isolated ingest died (memory limit, time limit, signal); the message is one line."""


class Outcome(BaseModel):
    path: str
    outcome: str  # added, updated, unchanged, duplicate, failed; deleted for delete jobs
    doc_id: str = ""
    detail: str = ""


class Job(BaseModel):
    """An upload's ingest or a delete, as GET /api/jobs/{id} shows it."""

    job_id: str
    kind: JobKind = "ingest"
    status: JobStatus = "queued"
    files: list[str]  # uploaded file names, or the documents to delete
    done: int = 0  # documents processed so far
    total: int  # files uploaded (a .jsonl file may hold several documents) or documents to delete
    replace: bool = False
    outcomes: list[Outcome] = Field(default_factory=list)
    error: str | None = None
    created: str = Field(default_factory=now_iso)
    finished: str | None = None
    owner: str = Field(default="", exclude=True)


def safe_name(name: str) -> str:
    """A file name that stays inside the job folder and fits the file system, keeping its suffix."""
    base = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip(". ")
    base = base or "upload"
    if len(base.encode("utf-8")) <= NAME_BYTES:
        return base
    suffix = Path(base).suffix if len(Path(base).suffix) <= 10 else ""
    stem = base[: len(base) - len(suffix)]
    while len((stem + suffix).encode("utf-8")) > NAME_BYTES:
        stem = stem[:-1]
    return stem + suffix


class JobQueue:
    """Runs ingest and delete jobs in order on one thread.

    Args:
        uploads: the folder under which each upload gets `<job id>/`.
        run_ingest: ingests paths (isolated in a worker process by the app), reporting each file's outcome.
        run_delete: removes documents from the index in one new version.
        on_change: called after a job that changed the index (the app reopens it there).
        max_queued: jobs allowed to wait; beyond that `QueueFull`.
    """

    def __init__(self, uploads: Path, run_ingest: RunIngest, run_delete: RunDelete, on_change: Callable[[], None],
                 max_queued: int = 100) -> None:
        self.uploads = uploads
        self.run_ingest = run_ingest
        self.run_delete = run_delete
        self.on_change = on_change
        self.max_queued = max_queued
        self.jobs: dict[str, Job] = {}
        self._pending: deque[str | None] = deque()
        self._cond = threading.Condition()
        self._busy = False
        self._worker = threading.Thread(target=self._work, name="speechbot-ingest", daemon=True)
        self._worker.start()

    def new_upload(self) -> tuple[str, Path]:
        """A fresh job id and its (empty) upload folder; `discard` it if the upload is refused."""
        self._check_room()
        job_id = uuid.uuid4().hex[:12]
        folder = self.uploads / job_id
        folder.mkdir(parents=True)
        return job_id, folder

    def discard(self, job_id: str) -> None:
        shutil.rmtree(self.uploads / job_id, ignore_errors=True)

    def submit_ingest(self, job_id: str, names: list[str], owner: str, replace: bool = False) -> Job:
        return self._enqueue(Job(job_id=job_id, files=names, total=len(names), replace=replace, owner=owner))

    def submit_delete(self, doc_ids: list[str], owner: str) -> Job:
        self._check_room()
        return self._enqueue(Job(job_id=uuid.uuid4().hex[:12], kind="delete", files=doc_ids, total=len(doc_ids),
                                 owner=owner))

    def get(self, job_id: str, who: Principal) -> Job:
        job = self.jobs.get(job_id)
        if job is None or not (who.is_admin or job.owner == who.name):
            raise UnknownJob(job_id)
        return job

    def list(self, who: Principal) -> list[Job]:
        """The caller's jobs (an admin's: every job), newest first."""
        mine = [j for j in self.jobs.values() if who.is_admin or j.owner == who.name]
        return sorted(mine, key=lambda j: j.created, reverse=True)

    def pending_deletes(self) -> set[str]:
        """Documents a queued or running delete will remove: already hidden from listings."""
        return {d for j in list(self.jobs.values()) if j.kind == "delete" and j.status in ("queued", "running")
                for d in j.files}

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every queued job has finished (for tests and shutdown); False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._pending and not self._busy, timeout)

    def close(self) -> None:
        with self._cond:
            self._pending.append(None)
            self._cond.notify_all()

    def _check_room(self) -> None:
        with self._cond:
            if len(self._pending) >= self.max_queued:
                raise QueueFull(self.max_queued)

    def _enqueue(self, job: Job) -> Job:
        with self._cond:
            finished = [j.job_id for j in self.jobs.values() if j.finished]
            for old in finished[: max(0, len(finished) - KEEP_FINISHED)]:  # oldest first: dicts keep order
                del self.jobs[old]
            self.jobs[job.job_id] = job
            self._pending.append(job.job_id)
            self._cond.notify_all()
        return job

    def _next(self) -> list[Job] | None:
        """The next job, or a run of consecutive deletes (applied together)."""
        with self._cond:
            self._cond.wait_for(lambda: bool(self._pending))
            job_id = self._pending.popleft()
            if job_id is None:
                return None
            batch = [self.jobs[job_id]]
            while batch[0].kind == "delete" and self._pending and self._pending[0] is not None \
                    and self.jobs[self._pending[0]].kind == "delete":
                batch.append(self.jobs[self._pending.popleft()])
            self._busy = True
            return batch

    def _work(self) -> None:
        while (batch := self._next()) is not None:
            try:
                for job in batch:
                    job.status = "running"
                self._run_deletes(batch) if batch[0].kind == "delete" else self._run_ingest(batch[0])
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _run_ingest(self, job: Job) -> None:
        folder = self.uploads / job.job_id
        prefix = f"{folder.parent.name}/{job.job_id}/"

        def progress(o: FileOutcome) -> None:
            job.outcomes.append(Outcome(path=o.path.removeprefix(prefix), outcome=o.outcome, doc_id=o.doc_id,
                                        detail=o.detail.replace(prefix, "")))
            job.done = len(job.outcomes)

        paths = [Path(prefix + name) for name in job.files]  # relative to the data folder, where ingest runs
        try:
            changed = self._ingest_isolating_failures(paths, progress, job)
            if changed:
                self.on_change()
            job.status = "done"
        except Exception as exc:  # a failed job leaves the index as it was: the writer commits last
            log.exception("ingest job %s failed", job.job_id)
            job.status, job.error = "failed", _one_line(exc)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            job.finished = now_iso()

    def _ingest_isolating_failures(self, paths: list[Path], progress: Progress, job: Job) -> bool:
        """Ingest all files at once; if the worker dies, again one by one, so only the file that kills it fails."""
        try:
            return _changed(self.run_ingest(paths, progress, job.replace))
        except IngestCrashed as exc:
            if len(paths) == 1:
                progress(FileOutcome(str(paths[0]), "failed", detail=str(exc)))
                return False
            log.warning("ingest job %s: %s; retrying file by file", job.job_id, exc)
        job.outcomes.clear()
        changed = False
        for path in paths:
            try:
                changed = _changed(self.run_ingest([path], progress, job.replace)) or changed
            except IngestCrashed as exc:
                progress(FileOutcome(str(path), "failed", detail=str(exc)))
        return changed

    def _run_deletes(self, batch: list[Job]) -> None:
        doc_ids = list(dict.fromkeys(d for job in batch for d in job.files))
        try:
            removed = set(self.run_delete(doc_ids))
            if removed:
                self.on_change()
            for job in batch:
                job.outcomes = [Outcome(path=d, doc_id=d, outcome="deleted" if d in removed else "failed",
                                        detail="" if d in removed else f"no document {d!r} in the index")
                                for d in job.files]
                job.done, job.status = len(job.files), "done"
        except Exception as exc:
            log.exception("delete jobs %s failed", [j.job_id for j in batch])
            for job in batch:
                job.status, job.error = "failed", _one_line(exc)
        for job in batch:
            job.finished = now_iso()


def _changed(report: IngestReport) -> bool:
    return any(o.outcome in ("added", "updated", "duplicate") for o in report.outcomes)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if not isinstance(exc, IngestCrashed) else text
