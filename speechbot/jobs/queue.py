"""The ingest queue: uploads and deletes run one at a time, never on a request thread, and across replicas.

Jobs are rows in the shared database, in queue order. Each replica's worker thread takes the job lock (a file
lock, or Redis), then runs the oldest queued job — or a run of consecutive deletes, applied in one index version —
and releases the lock. So two replicas never run the same job, and jobs keep their order whoever received them.
Uploads wait in `<data_dir>/uploads/<job id>/` (a folder the replicas share) and are removed when their job ends.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from ingest.pipeline import FileOutcome, IngestReport
from speechbot.db import now_iso
from speechbot.jobs.models import IngestCrashed, Job, Outcome, Progress, QueueFull, RunDelete, RunIngest, UnknownJob
from speechbot.jobs.store import WAITING, JobStore
from speechbot.keys import Principal
from speechbot.locks import JobLock

log = logging.getLogger("speechbot")
KEEP_FINISHED = 1000  # finished jobs remembered for GET /api/jobs
STOPPED = "the service stopped while this job ran; nothing of it was committed unless its outcomes say so"


class JobQueue:
    """Queues jobs in `store` and runs them on one worker thread, under `lock`.

    Args:
        store: the job records (shared by the replicas).
        lock: held while a job is claimed and run.
        uploads: the folder under which each upload gets `<job id>/`.
        run_ingest: ingests paths (isolated in a worker process by the app), reporting each file's outcome.
        run_delete: removes documents from the index in one new version.
        on_change: called after a job that changed the index (the app reopens it there).
        max_queued: jobs allowed to wait; beyond that `QueueFull`.
        poll_s: how often the worker looks for jobs queued by other replicas.
    """

    def __init__(self, store: JobStore, lock: JobLock, uploads: Path, run_ingest: RunIngest, run_delete: RunDelete,
                 on_change: Callable[[], None], max_queued: int = 100, poll_s: float = 1.0) -> None:
        self.store = store
        self.lock = lock
        self.uploads = uploads
        self.run_ingest = run_ingest
        self.run_delete = run_delete
        self.on_change = on_change
        self.max_queued = max_queued
        self.poll_s = poll_s
        self._cond = threading.Condition()
        self._stop = False
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
        job = self.store.get(job_id)
        if job is None or not (who.is_admin or job.owner == who.name):
            raise UnknownJob(job_id)
        return job

    def list(self, who: Principal) -> list[Job]:
        """The caller's jobs (an admin's: every job), newest first."""
        return self.store.list(None if who.is_admin else who.name)

    def pending_deletes(self) -> set[str]:
        """Documents a queued or running delete will remove: already hidden from listings."""
        return self.store.pending_deletes()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no job is queued or running, on any replica (for tests and shutdown); False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.store.count(WAITING):
            if deadline is not None and time.monotonic() > deadline:
                return False
            with self._cond:
                self._cond.wait(0.05)
        return True

    def close(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()

    def _check_room(self) -> None:
        if self.store.count(["queued"]) >= self.max_queued:
            raise QueueFull(self.max_queued)

    def _enqueue(self, job: Job) -> Job:
        self.store.add(job)
        self.store.forget_finished(KEEP_FINISHED)
        with self._cond:
            self._cond.notify_all()
        return job

    def _work(self) -> None:
        while not self._stop:
            try:
                ran = self._run_next()
            except Exception:  # a database or lock outage must not end the worker: try again later
                log.exception("the job worker failed; retrying in %.0f s", self.poll_s)
                ran = False
            if not ran:
                with self._cond:
                    if not self._stop:
                        self._cond.wait(self.poll_s)

    def _run_next(self) -> bool:
        """Under the lock: fail jobs a dead runner left, claim the next job (or deletes) and run it."""
        with self.lock.hold(self.poll_s) as held:
            if not held:
                return False  # another replica is running a job
            self._fail_orphans()
            batch = self._claim()
            if not batch:
                return False
            self._run_deletes(batch) if batch[0].kind == "delete" else self._run_ingest(batch[0])
        with self._cond:
            self._cond.notify_all()
        return True

    def _fail_orphans(self) -> None:
        """Jobs still marked running while we hold the lock lost their runner (a crash, a killed replica)."""
        for job in self.store.with_status(["running"]):
            log.warning("job %s was left running by a stopped service; marking it failed", job.job_id)
            job.status, job.error, job.finished = "failed", STOPPED, now_iso()
            self.store.save(job)
            if job.kind == "ingest":
                self.discard(job.job_id)

    def _claim(self) -> list[Job]:
        """The oldest queued job, or the run of consecutive deletes at the head of the queue; marked running."""
        while queued := self.store.with_status(["queued"], limit=self.max_queued + 1):
            head = queued[0]
            if head.kind == "ingest" and not (self.uploads / head.job_id).is_dir():
                self._fail_unreachable(head)
                continue
            batch = [head]
            if head.kind == "delete":
                batch += _leading_deletes(queued[1:])
            return batch if self.store.claim(batch) else []
        return []

    def _fail_unreachable(self, job: Job) -> None:
        job.status, job.finished = "failed", now_iso()
        job.error = "the upload's files are not in this data folder (do the replicas share SPEECHBOT_DATA_DIR?)"
        self.store.save(job)

    def _run_ingest(self, job: Job) -> None:
        folder = self.uploads / job.job_id
        prefix = f"{folder.parent.name}/{job.job_id}/"

        def progress(o: FileOutcome) -> None:
            job.outcomes.append(Outcome(path=o.path.removeprefix(prefix), outcome=o.outcome, doc_id=o.doc_id,
                                        detail=o.detail.replace(prefix, "")))
            job.done = len(job.outcomes)
            self.store.save(job)

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
            self.store.save(job)

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
            self.store.save(job)


def _leading_deletes(jobs: list[Job]) -> list[Job]:
    run = []
    for job in jobs:
        if job.kind != "delete":
            break
        run.append(job)
    return run


def _changed(report: IngestReport) -> bool:
    return any(o.outcome in ("added", "updated", "duplicate") for o in report.outcomes)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if not isinstance(exc, IngestCrashed) else text
