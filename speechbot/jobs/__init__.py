"""Uploads and deletes as jobs: their records (models.py, store.py) and the queue that runs them (queue.py)."""

from speechbot.jobs.models import (
    IngestCrashed,
    Job,
    Outcome,
    Progress,
    QueueFull,
    UnknownJob,
    safe_name,
)
from speechbot.jobs.queue import KEEP_FINISHED, JobQueue
from speechbot.jobs.store import JobStore

__all__ = ["KEEP_FINISHED", "IngestCrashed", "Job", "JobQueue", "JobStore", "Outcome", "Progress", "QueueFull",
           "UnknownJob", "safe_name"]
