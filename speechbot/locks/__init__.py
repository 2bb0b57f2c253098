"""The job lock: whoever holds it runs the next upload or delete, so two replicas never ingest the same upload.

A file lock in the data folder by default (replicas on one machine or one shared volume); a Redis lock when
SPEECHBOT_REDIS_URL is set (`make_job_lock`).
"""

from speechbot.locks.base import JobLock
from speechbot.locks.factory import make_job_lock

__all__ = ["JobLock", "make_job_lock"]
