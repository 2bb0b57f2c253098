"""The job lock as an OS file lock (flock through py-filelock): the kernel drops it when its holder dies."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout


class FileJobLock:
    kind = "file"

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # thread_local=False: the worker thread acquires it, and tests release it from elsewhere.
        self._lock = FileLock(path, thread_local=False)

    @contextmanager
    def hold(self, timeout_s: float) -> Iterator[bool]:
        try:
            self._lock.acquire(timeout=timeout_s)
        except Timeout:
            yield False
            return
        try:
            yield True
        finally:
            self._lock.release()
