"""What a job is: an upload's ingest or a batch of deletes, as GET /api/jobs/{id} shows it; its errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ingest.pipeline import FileOutcome, IngestReport
from speechbot.db import now_iso

JobStatus = Literal["queued", "running", "done", "failed"]
JobKind = Literal["ingest", "delete"]
Progress = Callable[[FileOutcome], None]
RunIngest = Callable[[list[Path], Progress, bool], IngestReport]  # (paths, progress, replace)
RunDelete = Callable[[list[str]], list[str]]  # doc ids -> those removed
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
NAME_BYTES = 160  # file names are cut to this many UTF-8 bytes (file systems allow 255)


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
