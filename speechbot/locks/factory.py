"""The one place that picks the job lock."""

from __future__ import annotations

from pathlib import Path

from speechbot.locks.base import JobLock
from speechbot.locks.file import FileJobLock

LOCK_FILE = "jobs.lock"


def make_job_lock(redis_url: str, data_dir: Path) -> JobLock:
    """A Redis lock with a URL (needs the redis extra), else a file lock in the data folder."""
    if redis_url:
        from speechbot.locks.redis import RedisJobLock, connect

        return RedisJobLock(connect(redis_url))
    return FileJobLock(data_dir / LOCK_FILE)
