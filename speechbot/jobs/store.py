"""Job records in the shared database, so any replica can report any job and runs each exactly once."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from speechbot.db import ensure_schema, metadata
from speechbot.jobs.models import Job, JobStatus

jobs = sa.Table(
    "jobs", metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),  # queue order
    sa.Column("job_id", sa.String(32), nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("owner", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),  # the Job as JSON
    sa.Index("jobs_by_status", "status", "seq"),
)
WAITING: tuple[JobStatus, ...] = ("queued", "running")


class _Lost(Exception):
    """Another runner took a job first (rolls the claim back)."""


def _job(row: sa.Row) -> Job:
    job = Job.model_validate_json(row.body)
    job.owner = row.owner
    return job


class JobStore:
    """Jobs by id and in queue order; a job's whole record is rewritten on every change (they are small)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        ensure_schema(engine, [jobs])

    def add(self, job: Job) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.insert(jobs).values(job_id=job.job_id, kind=job.kind, status=job.status,
                                                owner=job.owner, body=job.model_dump_json()))

    def save(self, job: Job) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.update(jobs).where(jobs.c.job_id == job.job_id)
                         .values(status=job.status, body=job.model_dump_json()))

    def claim(self, batch: list[Job]) -> bool:
        """Mark queued jobs running, all or none: False if any of them is no longer queued."""
        ids = [job.job_id for job in batch]
        try:
            with self.engine.begin() as conn:  # one UPDATE ... WHERE status = 'queued': atomic on its own
                claimed = conn.execute(sa.update(jobs).where(jobs.c.job_id.in_(ids), jobs.c.status == "queued")
                                       .values(status="running")).rowcount
                if claimed != len(ids):
                    raise _Lost
                for job in batch:
                    job.status = "running"
                    conn.execute(sa.update(jobs).where(jobs.c.job_id == job.job_id).values(body=job.model_dump_json()))
        except _Lost:
            return False
        return True

    def get(self, job_id: str) -> Job | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(jobs).where(jobs.c.job_id == job_id)).first()
        return _job(row) if row else None

    def list(self, owner: str | None = None) -> list[Job]:
        """Newest first; `owner`'s only, or all when None."""
        query = sa.select(jobs).order_by(jobs.c.seq.desc())
        if owner is not None:
            query = query.where(jobs.c.owner == owner)
        with self.engine.connect() as conn:
            return [_job(row) for row in conn.execute(query)]

    def with_status(self, statuses: Iterable[JobStatus], limit: int | None = None) -> list[Job]:
        """In queue order, oldest first."""
        query = sa.select(jobs).where(jobs.c.status.in_(list(statuses))).order_by(jobs.c.seq).limit(limit)
        with self.engine.connect() as conn:
            return [_job(row) for row in conn.execute(query)]

    def count(self, statuses: Iterable[JobStatus]) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).where(jobs.c.status.in_(list(statuses)))).scalar() or 0

    def pending_deletes(self) -> set[str]:
        """Documents a queued or running delete will remove."""
        query = sa.select(jobs).where(jobs.c.kind == "delete", jobs.c.status.in_(WAITING))
        with self.engine.connect() as conn:
            return {doc_id for row in conn.execute(query) for doc_id in _job(row).files}

    def forget_finished(self, keep: int) -> int:
        """Remove finished jobs beyond the newest `keep`."""
        finished = jobs.c.status.in_(["done", "failed"])
        old = sa.select(jobs.c.seq).where(finished).order_by(jobs.c.seq.desc()).offset(keep)
        with self.engine.begin() as conn:
            return conn.execute(sa.delete(jobs).where(jobs.c.seq.in_(sa.select(old.subquery().c.seq)))).rowcount
